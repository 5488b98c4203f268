import { z } from "zod";
import { listSignInEvents, SIGN_IN_EVENTS_MAX_PAGE, SignInEventPage } from "@/server/domain/audit/list-sign-in-events";
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
});
