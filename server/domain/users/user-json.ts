/** The REST (snake_case) form of the user views: one mapping, used by every /api/partners/me/users route. */
import type { UserInviteIssued, UserList, UserRemoved, UserSummary, UserUpdated } from "@/server/contracts/users";
import type { IssuedLinkView, PartnerUserPage, PartnerUserView, RemovedUserView } from "./user-views";

export function toUserJson(u: PartnerUserView): UserSummary {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    status: u.status,
    created_at: u.createdAt,
    invite_expires_at: u.inviteExpiresAt,
  };
}

export function toUserListJson(p: PartnerUserPage): UserList {
  return { users: p.users.map(toUserJson), total: p.total, page: p.page, page_size: p.pageSize };
}

export function toIssuedJson(i: IssuedLinkView): UserInviteIssued {
  return { user: toUserJson(i.user), invite_url: i.inviteUrl, expires_at: i.expiresAt };
}

export function toUpdatedJson(user: PartnerUserView, link: IssuedLinkView | null): UserUpdated {
  return {
    user: toUserJson(link?.user ?? user),
    invite_url: link?.inviteUrl ?? null,
    invite_expires_at: link?.expiresAt ?? null,
  };
}

export function toRemovedJson(r: RemovedUserView): UserRemoved {
  return { id: r.id, email: r.email, sessions_ended: r.sessionsEnded };
}
