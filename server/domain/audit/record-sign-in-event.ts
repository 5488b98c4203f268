/**
 * Sign-in, failed sign-in and sign-out as audit events, scoped to the account's partner so that partner's
 * admins can read them (listSignInEvents). Never the password; the email only of an account that exists
 * (what people type into the email box of an unknown account can be anything, even a password).
 */
import type { SIGN_IN_ACTIONS } from "@/server/contracts/ui/activity";
import type { Db } from "@/server/db";
import { recordAuditEvent } from "./record-audit-event";

export type SignInAction = (typeof SIGN_IN_ACTIONS)[number];

/** Why a sign-in failed: a wrong password, an email with no account, or a locked account. */
export type SignInFailure = "wrong_password" | "unknown_account" | "account_locked";

async function findAccount(db: Db, by: { userId: string } | { email: string }) {
  return db.user.findFirst({
    where: "userId" in by ? { id: by.userId } : { email: { equals: by.email.trim(), mode: "insensitive" } },
    select: { id: true, email: true, partnerId: true },
  });
}

export async function recordSignIn(db: Db, event: { userId: string; ip: string | null }): Promise<void> {
  const user = await findAccount(db, { userId: event.userId });
  await recordAuditEvent(db, {
    action: "user.signed_in",
    actorType: "user",
    actorId: event.userId,
    partnerId: user?.partnerId ?? null,
    ip: event.ip,
    metadata: { email: user?.email ?? null },
  });
}

export async function recordSignOut(db: Db, event: { userId: string; ip: string | null }): Promise<void> {
  const user = await findAccount(db, { userId: event.userId });
  await recordAuditEvent(db, {
    action: "user.signed_out",
    actorType: "user",
    actorId: event.userId,
    partnerId: user?.partnerId ?? null,
    ip: event.ip,
    metadata: { email: user?.email ?? null },
  });
}

/** Returns whether the email named an existing account (the password was then really checked). */
export async function recordFailedSignIn(
  db: Db,
  event: { email: string; ip: string | null; reason: Exclude<SignInFailure, "unknown_account"> },
): Promise<{ accountExists: boolean }> {
  const user = await findAccount(db, { email: event.email });
  await recordAuditEvent(db, {
    action: "user.sign_in_failed",
    actorType: user ? "user" : "anonymous",
    actorId: user?.id ?? null,
    partnerId: user?.partnerId ?? null,
    ip: event.ip,
    metadata: user ? { email: user.email, reason: event.reason } : { reason: "unknown_account" },
  });
  return { accountExists: user !== null };
}
