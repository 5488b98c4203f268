import type { Prisma, TokenScope } from "@/server/generated/prisma/client";
import { hashSecret, randomToken } from "../security/secrets";

export const PARTNER_TOKEN_PREFIX = "occ_pat_";
export const PARTNER_TOKEN_PURPOSE = "partner-api-token";

export type MintOptions = { name: string; scope: TokenScope; expiresAt?: Date | null };

/**
 * Mints a partner API token. The plain token is returned once and never stored. The scope is always
 * explicit: the platform-admin CLI and the seed mint `full` tokens, a partner admin chooses.
 */
export async function mintPartnerToken(db: Prisma.TransactionClient, partnerId: string, options: MintOptions) {
  const token = `${PARTNER_TOKEN_PREFIX}${randomToken(32)}`;
  const row = await db.partnerApiToken.create({
    data: {
      partnerId,
      name: options.name,
      scope: options.scope,
      expiresAt: options.expiresAt ?? null,
      prefix: token.slice(0, PARTNER_TOKEN_PREFIX.length + 6),
      tokenHash: hashSecret(token, PARTNER_TOKEN_PURPOSE),
    },
    select: { id: true, name: true, scope: true, prefix: true, createdAt: true, expiresAt: true },
  });
  return { ...row, token };
}
