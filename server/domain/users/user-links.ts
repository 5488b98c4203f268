/**
 * One-time links (/invite/<token>) with which a partner user sets their password: an invitation, or a
 * password reset a partner admin issues. The token (256 random bits) is returned once and only its HMAC is
 * stored. Issuing a link supersedes the user's open ones, so only the newest works.
 */
import { getEnv } from "@/server/env";
import type { Prisma, UserInviteKind } from "@/server/generated/prisma/client";
import { hashSecret, randomToken } from "../security/secrets";

export const USER_LINK_PURPOSE = "user-invite";
export const USER_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function userLinkHash(token: string): string {
  return hashSecret(token, USER_LINK_PURPOSE);
}

export function userLinkUrl(token: string): string {
  return new URL(`/invite/${token}`, getEnv().PUBLIC_URL).toString();
}

export async function issueUserLink(
  tx: Prisma.TransactionClient,
  input: { userId: string; partnerId: string; kind: UserInviteKind; now?: Date },
): Promise<{ inviteUrl: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  await tx.userInvite.updateMany({
    where: { userId: input.userId, usedAt: null, supersededAt: null },
    data: { supersededAt: now },
  });
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + USER_LINK_TTL_MS);
  await tx.userInvite.create({
    data: {
      userId: input.userId,
      partnerId: input.partnerId,
      kind: input.kind,
      tokenHash: userLinkHash(token),
      expiresAt,
    },
  });
  return { inviteUrl: userLinkUrl(token), expiresAt };
}
