import { InviteUserRequest, ListUsersQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { inviteUser } from "@/server/domain/users/invite-user";
import { listPartnerUsers } from "@/server/domain/users/list-partner-users";
import { toIssuedJson, toUserListJson } from "@/server/domain/users/user-json";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/users?q=&sort=&order=&page=&page_size= – the partner's users (any token scope).
  GET: route({ auth: "partner-token", query: ListUsersQuery }, async ({ principal, query }) =>
    toUserListJson(
      await listPartnerUsers(db(), principal.partnerId, {
        search: query.q,
        sort: query.sort,
        order: query.order,
        page: query.page,
        pageSize: query.page_size,
      }),
    ),
  ),
  // POST /api/partners/me/users – invite a user (full token); 201 with the one-time invite_url, shown once.
  POST: route({ auth: "partner-token", body: InviteUserRequest, status: 201 }, async ({ principal, body, ip }) =>
    toIssuedJson(
      await inviteUser(db(), principal.partnerId, body, { actorType: "partner_token", actorId: principal.tokenId, ip }),
    ),
  ),
});
