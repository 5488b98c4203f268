import { z } from "zod";
import { PartnerUserRole, USER_SORT_FIELDS, USERS_MAX_PAGE_SIZE, UserEmail, UserName } from "@/server/contracts/users";
import { changeUserRole } from "@/server/domain/users/change-user-role";
import { inviteUser } from "@/server/domain/users/invite-user";
import { listPartnerUsers } from "@/server/domain/users/list-partner-users";
import { reissueUserLink } from "@/server/domain/users/reissue-user-link";
import { removeUser } from "@/server/domain/users/remove-user";
import { resetUserPassword } from "@/server/domain/users/reset-user-password";
import { IssuedLinkView, PartnerUserPage, PartnerUserView, RemovedUserView } from "@/server/domain/users/user-views";
import { camelCase, snakeCase } from "../camel-keys";
import { partnerAdminProcedure, partnerProcedure, router } from "../trpc";

const UserId = z.string().min(1).max(64);
/** Columns by the names the rows carry here (`createdAt`); the service takes REST's (`created_at`). */
const SortField = z.enum(USER_SORT_FIELDS.map(camelCase));

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
          sort: SortField.optional(),
          order: z.enum(["asc", "desc"]).optional(),
          page: z.number().int().min(1).optional(),
          pageSize: z.number().int().min(1).max(USERS_MAX_PAGE_SIZE).optional(),
        })
        .optional(),
    )
    .output(PartnerUserPage)
    .query(({ ctx, input }) =>
      listPartnerUsers(ctx.db, ctx.partnerId, input && { ...input, sort: input.sort && snakeCase(input.sort) }),
    ),
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
  /** Forgot their password: a one-time reset link, shown once; the user's sessions end now. */
  resetPassword: partnerAdminProcedure
    .input(z.object({ userId: UserId }))
    .output(IssuedLinkView.extend({ sessionsEnded: z.number().int() }))
    .mutation(({ ctx, input }) =>
      resetUserPassword(ctx.db, ctx.partnerId, input.userId, { actorType: "user", actorId: ctx.user.id, ip: ctx.ip }),
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
