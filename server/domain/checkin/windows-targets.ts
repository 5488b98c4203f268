/**
 * Builds an appliance's windows_targets from its site's credentials that name a host. The encrypted rows
 * are cached per site and re-read when the site's credential version (Redis) moves or after MAX_AGE_MS;
 * secrets are decrypted for each response and not kept.
 */
import type { WindowsTargetWire } from "@/server/contracts";
import type { Db } from "@/server/db";
import { type CredentialSecret, credentialRef } from "../credentials/site-credentials";
import { decryptRecord } from "../security/envelope";
import { createSealer } from "../security/sealed-box";

type Row = { id: string; encryptedData: Uint8Array; wrappedDataKey: Uint8Array; masterKeyId: string };
type Entry = { version: string | null; rows: Row[]; fetchedAt: number };

const MAX_AGE_MS = 60_000;
const cache = new Map<string, Entry>();

async function siteRows(db: Db, siteId: string, version: string | null): Promise<Row[]> {
  const hit = cache.get(siteId);
  if (hit && version !== null && hit.version === version && Date.now() - hit.fetchedAt < MAX_AGE_MS) return hit.rows;
  const rows = await db.siteCredential.findMany({
    where: { siteId, host: { not: null } },
    orderBy: { createdAt: "asc" },
    select: { id: true, encryptedData: true, wrappedDataKey: true, masterKeyId: true },
  });
  cache.set(siteId, { version, rows, fetchedAt: Date.now() });
  return rows;
}

export type Released = { credentialId: string };

export async function buildWindowsTargets(
  db: Db,
  appliance: { applianceId: string; siteId: string; publicKey: string | null },
  version: string | null,
): Promise<{ targets: WindowsTargetWire[]; released: Released[] }> {
  const rows = await siteRows(db, appliance.siteId, version);
  if (rows.length === 0) return { targets: [], released: [] };
  const seal = appliance.publicKey ? createSealer(appliance.publicKey, appliance.applianceId) : null;
  const targets: WindowsTargetWire[] = [];
  const released: Released[] = [];
  for (const row of rows) {
    const secret = decryptRecord<CredentialSecret>(credentialRef(appliance.siteId, row.id), row);
    if (!secret.host) continue;
    targets.push({
      hostname: secret.host,
      username: secret.domain ? `${secret.domain}\\${secret.username}` : secret.username,
      ...(seal ? { sealed_password: seal(secret.password) } : { password: secret.password }),
      use_ssl: secret.use_ssl,
      port: secret.use_ssl ? 5986 : 5985,
      transport: "ntlm",
    });
    released.push({ credentialId: row.id });
  }
  return { targets, released };
}

export function clearWindowsTargetCache(): void {
  cache.clear();
}
