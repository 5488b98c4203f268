/**
 * Appliance-key authentication for the check-in path, with a short in-process cache so a check-in that
 * changes nothing needs no database round trip. A key replaced by re-provisioning stops working
 * everywhere within TTL_MS.
 */
import type { Db } from "@/server/db";
import { unauthorized } from "@/server/errors";
import { APPLIANCE_KEY_PURPOSE } from "../appliances/authenticate-appliance";
import { hashSecret, safeEqual } from "../security/secrets";

export type CheckinPrincipal = {
  applianceId: string;
  siteId: string;
  partnerId: string;
  publicKey: string | null;
};

const TTL_MS = 30_000;
const MAX_ENTRIES = 250_000;
const cache = new Map<string, { principal: CheckinPrincipal; expires: number }>();

export async function authenticateCheckin(db: Db, authorization: string | null): Promise<CheckinPrincipal> {
  const key = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!key) throw unauthorized("Missing appliance key. Send it as 'Authorization: Bearer <api_key>'.");
  const hash = hashSecret(key, APPLIANCE_KEY_PURPOSE);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.expires > now) return hit.principal;

  const row = await db.appliance.findUnique({
    where: { apiKeyHash: hash },
    select: { id: true, siteId: true, apiKeyHash: true, publicKey: true, site: { select: { partnerId: true } } },
  });
  if (!row || !safeEqual(row.apiKeyHash, hash)) {
    cache.delete(hash);
    throw unauthorized("Unknown appliance key. Re-provision the appliance with a new provision code.");
  }
  const principal = {
    applianceId: row.id,
    siteId: row.siteId,
    partnerId: row.site.partnerId,
    publicKey: row.publicKey,
  };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(hash, { principal, expires: now + TTL_MS });
  return principal;
}

export function clearCheckinAuthCache(): void {
  cache.clear();
}
