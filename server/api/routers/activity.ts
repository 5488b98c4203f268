import { z } from "zod";
import { listSignInEvents, SIGN_IN_EVENTS_MAX_PAGE, SignInEventPage } from "@/server/domain/audit/list-sign-in-events";
import { unlockUserSignIn } from "@/server/domain/users/unlock-user-sign-in";
import { partnerAdminProcedure, router } from "../trpc";

/** Partner admins only: technicians get FORBIDDEN. */
export const activityRouter = router({
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
    .output(SignInEventPage)
    .query(({ ctx, input }) => listSignInEvents(ctx.db, ctx.partnerId, { cursor: input?.cursor, limit: input?.limit })),
  /** Lifts a locked account's sign-in lock before it runs out. */
  unlock: partnerAdminProcedure
    .input(z.object({ user_id: z.string().min(1).max(100) }))
    .output(z.object({ email: z.string() }))
    .mutation(({ ctx, input }) =>
      unlockUserSignIn(ctx.db, ctx.partnerId, { userId: input.user_id, byUserId: ctx.user.id }),
    ),
});
