import { z } from "zod";
import { ActivityQuery } from "@/server/contracts/activity";
import { ActivityPageView, SignInEventPageView, SignInUnlockedView } from "@/server/contracts/ui";
import { listPartnerActivity } from "@/server/domain/audit/list-partner-activity";
import { listSignInEvents, SIGN_IN_EVENTS_MAX_PAGE } from "@/server/domain/audit/list-sign-in-events";
import { unlockUserSignIn } from "@/server/domain/users/unlock-user-sign-in";
import { camelObject } from "../camel-input";
import { camelKeys, snakeKeys } from "../camel-keys";
import { partnerAdminProcedure, router } from "../trpc";

/** Partner admins only: technicians get FORBIDDEN. */
export const activityRouter = router({
  /** The partner's activity log: filtered, sorted by time and paged in the database. */
  list: partnerAdminProcedure
    .input(camelObject(ActivityQuery).optional())
    .output(ActivityPageView)
    .query(async ({ ctx, input }) =>
      camelKeys(await listPartnerActivity(ctx.db, ctx.partnerId, input ? snakeKeys(input) : {})),
    ),
  signIns: partnerAdminProcedure
    .input(
      z
        .object({
          cursor: z
            .string()
            .regex(/^\d{1,19}$/)
            .nullish(),
          limit: z.number().int().min(1).max(SIGN_IN_EVENTS_MAX_PAGE).optional(),
        })
        .optional(),
    )
    .output(SignInEventPageView)
    .query(async ({ ctx, input }) =>
      camelKeys(await listSignInEvents(ctx.db, ctx.partnerId, { cursor: input?.cursor, limit: input?.limit })),
    ),
  /** Lifts a locked account's sign-in lock before it runs out. */
  unlock: partnerAdminProcedure
    .input(z.object({ userId: z.string().min(1).max(100) }))
    .output(SignInUnlockedView)
    .mutation(({ ctx, input }) =>
      unlockUserSignIn(ctx.db, ctx.partnerId, { userId: input.userId, byUserId: ctx.user.id }),
    ),
});
