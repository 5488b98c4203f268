import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { getPartnerUser, lockPartnerUsers } from "./user-guards";
import { issueUserLink } from "./user-links";
import { type IssuedLinkView, readUserView } from "./user-views";

/**
 * Issues a user a new one-time link and returns it once (partner admins only): a new invitation for a
 * user who never set a password, else a password reset (for someone who forgot theirs). Their older links
 * stop working; their current password keeps working until they use the new link. Audited.
 */
export async function reissueUserLink(
  db: Db,
  partnerId: string,
  userId: string,
  actor: Actor,
): Promise<IssuedLinkView> {
  return db.$transaction((tx) => reissueUserLinkIn(tx, partnerId, userId, actor));
}

/** reissueUserLink inside the caller's transaction. */
export async function reissueUserLinkIn(
  tx: Prisma.TransactionClient,
  partnerId: string,
  userId: string,
  actor: Actor,
): Promise<IssuedLinkView> {
  await lockPartnerUsers(tx, partnerId);
  const user = await getPartnerUser(tx, partnerId, userId);
  return issueAuditedLink(tx, partnerId, user, actor);
}

/**
 * The new link and its audit event, in the caller's transaction (after it locked the partner's users): an
 * invitation for a user who never set a password, else a password reset. `metadata` adds to the audit row
 * (never the token).
 */
export async function issueAuditedLink(
  tx: Prisma.TransactionClient,
  partnerId: string,
  user: { id: string; email: string },
  actor: Actor,
  metadata: Record<string, string | number> = {},
): Promise<IssuedLinkView> {
  const before = await readUserView(tx, user.id);
  const kind = before.status === "active" ? "password_reset" : "invite";
  const link = await issueUserLink(tx, { userId: user.id, partnerId, kind });
  await recordAuditEvent(tx, {
    ...actor,
    action: kind === "invite" ? "user.invite_reissued" : "user.password_reset_issued",
    partnerId,
    targetType: "user",
    targetId: user.id,
    metadata: { email: user.email, expires_at: link.expiresAt.toISOString(), ...metadata },
  });
  return { user: await readUserView(tx, user.id), inviteUrl: link.inviteUrl, expiresAt: link.expiresAt.toISOString() };
}
