import type { Prisma } from "@/server/generated/prisma/client";
import { hashSecret, randomToken } from "../security/secrets";

export const PARTNER_TOKEN_PREFIX = "occ_pat_";
export const PARTNER_TOKEN_PURPOSE = "partner-api-token";

/** Mints a partner API token. The plain token is returned once and never stored. */
export async function mintPartnerToken(db: Prisma.TransactionClient, partnerId: string, name: string) {
  const token = `${PARTNER_TOKEN_PREFIX}${randomToken(32)}`;
  const row = await db.partnerApiToken.create({
    data: {
      partnerId,
      name,
      prefix: token.slice(0, PARTNER_TOKEN_PREFIX.length + 6),
      tokenHash: hashSecret(token, PARTNER_TOKEN_PURPOSE),
    },
    select: { id: true, prefix: true, createdAt: true },
  });
  return { ...row, token };
}
