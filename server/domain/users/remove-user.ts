import type { Db } from "@/server/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { assertAnotherAdmin, assertNotSelf, getPartnerUser, lockPartnerUsers } from "./user-guards";
import type { RemovedUserView } from "./user-views";

/**
 * Removes a partner user (partner admins only). Their sessions are deleted in the same transaction, so
 * they are signed out on their very next request; their password and open links go with them. Their audit
 * history stays (audit rows hold ids and emails, not references). An admin cannot remove themselves, and
 * the last admin who can sign in cannot be removed (409).
 */
export async function removeUser(db: Db, partnerId: string, userId: string, actor: Actor): Promise<RemovedUserView> {
  return db.$transaction(async (tx) => {
    await lockPartnerUsers(tx, partnerId);
    const user = await getPartnerUser(tx, partnerId, userId);
    assertNotSelf(actor, user.id, "remove");
    if (user.role === "partner_admin") await assertAnotherAdmin(tx, partnerId, user.id);
    const sessions = await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.user.delete({ where: { id: user.id } });
    await recordAuditEvent(tx, {
      ...actor,
      action: "user.removed",
      partnerId,
      targetType: "user",
      targetId: user.id,
      metadata: { email: user.email, name: user.name, role: user.role, sessions_ended: sessions.count },
    });
    return { id: user.id, email: user.email, sessionsEnded: sessions.count };
  });
}
