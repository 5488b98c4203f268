import { z } from "zod";
import { PartnerUserRole, USER_SORT_FIELDS, USERS_MAX_PAGE_SIZE, UserEmail, UserName } from "@/server/contracts/users";
import { changeUserRole } from "@/server/domain/users/change-user-role";
import { inviteUser } from "@/server/domain/users/invite-user";
import { listPartnerUsers } from "@/server/domain/users/list-partner-users";
import { reissueUserLink } from "@/server/domain/users/reissue-user-link";
import { removeUser } from "@/server/domain/users/remove-user";
import { IssuedLinkView, PartnerUserPage, PartnerUserView, RemovedUserView } from "@/server/domain/users/user-views";
import { partnerAdminProcedure, partnerProcedure, router } from "../trpc";

const UserId = z.string().min(1).max(64);

/**
 * The partner's team. Every partner user may list it; inviting, re-issuing links, changing roles and
 * removing are for partner admins (technicians get FORBIDDEN whatever the UI shows).
 */
export const usersRouter = router({
  list: partnerProcedure
    .input(
      z
        .object({
          search: z.string().trim().max(100).optional(),
          sort: z.enum(USER_SORT_FIELDS).optional(),
          order: z.enum(["asc", "desc"]).optional(),
          page: z.number().int().min(1).optional(),
          pageSize: z.number().int().min(1).max(USERS_MAX_PAGE_SIZE).optional(),
        })
        .optional(),
    )
    .output(PartnerUserPage)
    .query(({ ctx, input }) => listPartnerUsers(ctx.db, ctx.partnerId, input)),
  /** Creates the user and returns their one-time link, once. */
  invite: partnerAdminProcedure
    .input(z.object({ email: UserEmail, name: UserName, role: PartnerUserRole }))
    .output(IssuedLinkView)
    .mutation(({ ctx, input }) =>
      inviteUser(ctx.db, ctx.partnerId, input, { actorType: "user", actorId: ctx.user.id, ip: ctx.ip }),
    ),
  /** A new invitation, or a password-reset link for a user who has a password; older links stop working. */
  reissueInvite: partnerAdminProcedure
    .input(z.object({ userId: UserId }))
    .output(IssuedLinkView)
    .mutation(({ ctx, input }) =>
      reissueUserLink(ctx.db, ctx.partnerId, input.userId, { actorType: "user", actorId: ctx.user.id, ip: ctx.ip }),
    ),
  changeRole: partnerAdminProcedure
    .input(z.object({ userId: UserId, role: PartnerUserRole }))
    .output(PartnerUserView)
    .mutation(({ ctx, input }) =>
      changeUserRole(ctx.db, ctx.partnerId, input, { actorType: "user", actorId: ctx.user.id, ip: ctx.ip }),
    ),
  /** Signs the user out at once (their sessions are deleted); their audit history stays. */
  remove: partnerAdminProcedure
    .input(z.object({ userId: UserId }))
    .output(RemovedUserView)
    .mutation(({ ctx, input }) =>
      removeUser(ctx.db, ctx.partnerId, input.userId, { actorType: "user", actorId: ctx.user.id, ip: ctx.ip }),
    ),
});
