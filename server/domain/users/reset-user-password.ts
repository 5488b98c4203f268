/**
 * A forgotten password: a partner admin (or the platform operator, scripts/admin.ts) resets a user's password.
 * It issues a one-time password-reset link (user-links.ts: 32 random bytes, only the HMAC stored, one use,
 * 7 days, older links superseded), returned once, and ends every session the user had, so whoever might know
 * the old password is signed out now. The sign-in lock (sign-in-limiter.ts) is lifted too. Audited in the
 * same transaction; the token is never recorded. A user who never set a password gets a new invitation.
 */
import { unlockAccount } from "@/server/auth/sign-in-limiter";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Actor } from "../shared/actor";
import { issueAuditedLink } from "./reissue-user-link";
import { getPartnerUser, lockPartnerUsers } from "./user-guards";
import type { IssuedLinkView } from "./user-views";

export type PasswordResetView = IssuedLinkView & { sessionsEnded: number };

/** Scoped to the admin's partner: another partner's user id is "not found". */
export async function resetUserPassword(
  db: Db,
  partnerId: string,
  userId: string,
  actor: Actor,
): Promise<PasswordResetView> {
  const result = await db.$transaction(async (tx) => {
    await lockPartnerUsers(tx, partnerId);
    const user = await getPartnerUser(tx, partnerId, userId);
    return resetIn(tx, partnerId, user, actor);
  });
  await unlockAccount(result.user.email);
  return result;
}

/** The platform operator's path (npm run admin -- user:reset-password): any partner user, by email. */
export async function resetUserPasswordByEmail(db: Db, email: string, actor: Actor): Promise<PasswordResetView> {
  const found = await db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { partnerId: true } });
  if (!found) throw notFound("No user with that email.");
  if (!found.partnerId) {
    throw notFound("That user is a platform admin; reset links are for partner users. Use user:create for a new one.");
  }
  const partnerId = found.partnerId;
  const result = await db.$transaction(async (tx) => {
    await lockPartnerUsers(tx, partnerId);
    const user = await tx.user.findFirst({
      where: { email: email.trim().toLowerCase(), partnerId },
      select: { id: true, email: true },
    });
    if (!user) throw notFound("No user with that email.");
    return resetIn(tx, partnerId, user, actor);
  });
  await unlockAccount(result.user.email);
  return result;
}

async function resetIn(
  tx: Prisma.TransactionClient,
  partnerId: string,
  user: { id: string; email: string },
  actor: Actor,
): Promise<PasswordResetView> {
  const sessions = await tx.session.deleteMany({ where: { userId: user.id } });
  const issued = await issueAuditedLink(tx, partnerId, user, actor, { sessions_ended: sessions.count });
  return { ...issued, sessionsEnded: sessions.count };
}
