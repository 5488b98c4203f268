import { PartnerUserRole } from "@/server/contracts/users";
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { assertAnotherAdmin, assertNotSelf, getPartnerUser, lockPartnerUsers } from "./user-guards";
import { type PartnerUserView, readUserView } from "./user-views";

/**
 * Makes a partner user an admin or a technician (partner admins only). Takes effect on the user's next
 * request: sessions re-read the role from the database. An admin cannot change their own role, and the
 * last admin who can sign in cannot be demoted (409). Setting the role a user already has changes
 * nothing and records nothing.
 */
export async function changeUserRole(
  db: Db,
  partnerId: string,
  input: { userId: string; role: PartnerUserRole },
  actor: Actor,
): Promise<PartnerUserView> {
  return db.$transaction((tx) => changeUserRoleIn(tx, partnerId, input, actor));
}

/** changeUserRole inside the caller's transaction (update-user.ts combines it with a new link). */
export async function changeUserRoleIn(
  tx: Prisma.TransactionClient,
  partnerId: string,
  input: { userId: string; role: PartnerUserRole },
  actor: Actor,
): Promise<PartnerUserView> {
  const role = PartnerUserRole.parse(input.role);
  await lockPartnerUsers(tx, partnerId);
  const user = await getPartnerUser(tx, partnerId, input.userId);
  if (user.role === role) return readUserView(tx, user.id);
  assertNotSelf(actor, user.id, "change the role of");
  if (user.role === "partner_admin") await assertAnotherAdmin(tx, partnerId, user.id);
  await tx.user.update({ where: { id: user.id }, data: { role } });
  await recordAuditEvent(tx, {
    ...actor,
    action: "user.role_changed",
    partnerId,
    targetType: "user",
    targetId: user.id,
    metadata: { email: user.email, from: user.role, to: role },
  });
  return readUserView(tx, user.id);
}
