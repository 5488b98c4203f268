import { z } from "zod";
import { UpdateUserRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { removeUser } from "@/server/domain/users/remove-user";
import { updateUser } from "@/server/domain/users/update-user";
import { toRemovedJson } from "@/server/domain/users/user-json";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // PATCH /api/partners/me/users/{id} – change the role and/or issue a new one-time link (full token).
  PATCH: route({ auth: "partner-token", params, body: UpdateUserRequest }, ({ principal, params, body, ip }) =>
    updateUser(db(), principal.partnerId, params.id, body, {
      actorType: "partner_token",
      actorId: principal.tokenId,
      ip,
    }),
  ),
  // DELETE /api/partners/me/users/{id} – remove a user (full token): signed out at once, audit history kept.
  DELETE: route({ auth: "partner-token", params }, async ({ principal, params, ip }) =>
    toRemovedJson(
      await removeUser(db(), principal.partnerId, params.id, {
        actorType: "partner_token",
        actorId: principal.tokenId,
        ip,
      }),
    ),
  ),
});
