import type { Db } from "@/server/db";
import { forbidden, unauthorized } from "@/server/errors";
import type { TokenScope } from "@/server/generated/prisma/client";
import { parseBearer } from "@/server/http/bearer";
import { hashSecret } from "../security/secrets";
import { PARTNER_TOKEN_PREFIX, PARTNER_TOKEN_PURPOSE } from "./mint-partner-token";

export type PartnerTokenPrincipal = {
  kind: "partner_token";
  tokenId: string;
  partnerId: string;
  scope: TokenScope;
  /** For people reading "revoked by": the token's name and display prefix, never the token. */
  label: string;
};

const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * Resolves `Authorization: Bearer <token>` to its partner and scope. The lookup is by keyed hash (a
 * unique index), so no plaintext token is compared or stored. Every request reads the row: nothing is
 * cached, so a revoke or an expiry takes effect on the very next request. last_used_at is written at
 * most once a minute per token (a conditional UPDATE, so concurrent requests in that minute write once).
 *
 * `required` is the scope the route needs; a `read` token asking for `full` gets 403.
 */
export async function authenticatePartnerToken(
  db: Db,
  authorization: string | null,
  required: TokenScope = "full",
): Promise<PartnerTokenPrincipal> {
  const token = parseBearer(authorization);
  if (!token) throw unauthorized("Missing API token. Send it as 'Authorization: Bearer <token>'.");
  if (!token.startsWith(PARTNER_TOKEN_PREFIX)) throw unauthorized("Invalid API token.");
  const row = await db.partnerApiToken.findUnique({
    where: { tokenHash: hashSecret(token, PARTNER_TOKEN_PURPOSE) },
    select: {
      id: true,
      partnerId: true,
      name: true,
      prefix: true,
      scope: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
    },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) {
    throw unauthorized("Invalid API token. It may have been revoked or expired; mint a new one.");
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db.partnerApiToken.updateMany({
      where: {
        id: row.id,
        OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_GRANULARITY_MS) } }],
      },
      data: { lastUsedAt: now },
    });
  }
  if (required === "full" && row.scope !== "full") {
    throw forbidden(
      "This API token is read-only: it can only read (GET). Changes need a token with the full scope, which a partner admin can create.",
    );
  }
  return {
    kind: "partner_token",
    tokenId: row.id,
    partnerId: row.partnerId,
    scope: row.scope,
    label: `API token "${row.name}" (${row.prefix}…)`,
  };
}
