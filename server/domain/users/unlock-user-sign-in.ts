/**
 * A partner admin lifts the sign-in lock of one of the partner's own users (sign-in-limiter.ts), so they
 * need not wait out the lockout. Scoped: another partner's user id is "not found". Audited.
 */
import { unlockAccount } from "@/server/auth/sign-in-limiter";
import type { Db } from "@/server/db";
import { recordAuditEvent } from "@/server/domain/audit/record-audit-event";
import { notFound } from "@/server/errors";

export async function unlockUserSignIn(
  db: Db,
  partnerId: string,
  input: { userId: string; byUserId: string },
): Promise<{ email: string }> {
  const user = await db.user.findFirst({ where: { id: input.userId, partnerId }, select: { id: true, email: true } });
  if (!user) throw notFound("No such user in your team.");
  await unlockAccount(user.email);
  await recordAuditEvent(db, {
    action: "user.sign_in_unlocked",
    actorType: "user",
    actorId: input.byUserId,
    partnerId,
    targetType: "user",
    targetId: user.id,
    metadata: { email: user.email },
  });
  return { email: user.email };
}
