import type { Db } from "@/server/db";
import { unauthorized } from "@/server/errors";
import { hashSecret } from "../security/secrets";
import { PARTNER_TOKEN_PREFIX, PARTNER_TOKEN_PURPOSE } from "./mint-partner-token";

export type PartnerTokenPrincipal = { kind: "partner_token"; tokenId: string; partnerId: string };

const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * Resolves `Authorization: Bearer <token>` to its partner. The lookup is by keyed hash (a unique
 * index), so no plaintext token is compared or stored. last_used_at is written at most once a minute.
 */
export async function authenticatePartnerToken(db: Db, authorization: string | null): Promise<PartnerTokenPrincipal> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) {
    throw unauthorized("Missing API token. Send it as 'Authorization: Bearer <token>'.");
  }
  const token = match[1];
  if (!token.startsWith(PARTNER_TOKEN_PREFIX)) throw unauthorized("Invalid API token.");
  const row = await db.partnerApiToken.findUnique({
    where: { tokenHash: hashSecret(token, PARTNER_TOKEN_PURPOSE) },
    select: { id: true, partnerId: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) {
    throw unauthorized("Invalid API token. It may have been revoked or expired; mint a new one.");
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db.partnerApiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { kind: "partner_token", tokenId: row.id, partnerId: row.partnerId };
}
