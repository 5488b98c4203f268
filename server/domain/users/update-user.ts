import { UpdateUserRequest, type UserUpdated } from "@/server/contracts/users";
import type { Db } from "@/server/db";
import type { Actor } from "../shared/actor";
import { changeUserRoleIn } from "./change-user-role";
import { reissueUserLinkIn } from "./reissue-user-link";
import { getPartnerUser } from "./user-guards";
import { toUpdatedJson } from "./user-json";
import { readUserView } from "./user-views";

/**
 * PATCH /api/partners/me/users/{id}: a role change and/or a new one-time link, all or nothing in one
 * transaction, with the same rules and audit events as the UI's separate actions.
 */
export async function updateUser(
  db: Db,
  partnerId: string,
  userId: string,
  raw: UpdateUserRequest,
  actor: Actor,
): Promise<UserUpdated> {
  const input = UpdateUserRequest.parse(raw);
  return db.$transaction(async (tx) => {
    await getPartnerUser(tx, partnerId, userId);
    const user = input.role
      ? await changeUserRoleIn(tx, partnerId, { userId, role: input.role }, actor)
      : await readUserView(tx, userId);
    const link = input.issue_link ? await reissueUserLinkIn(tx, partnerId, userId, actor) : null;
    return toUpdatedJson(user, link);
  });
}
