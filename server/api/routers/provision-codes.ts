import { z } from "zod";
import { CreateProvisionCodeRequest } from "@/server/contracts";
import { createProvisionCode, revokeProvisionCode } from "@/server/domain/provisioning/partner-codes";
import { listProvisioningActivity } from "@/server/domain/provisioning/provisioning-activity";
import { partnerProcedure, router } from "../trpc";

export const provisionCodesRouter = router({
  list: partnerProcedure.query(({ ctx }) => listProvisioningActivity(ctx.db, ctx.partnerId)),
  create: partnerProcedure
    .input(CreateProvisionCodeRequest)
    .mutation(({ ctx, input }) =>
      createProvisionCode(ctx.db, ctx.partnerId, input, { actorType: "user", actorId: ctx.user.id }),
    ),
  revoke: partnerProcedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(({ ctx, input }) =>
      revokeProvisionCode(ctx.db, ctx.partnerId, input.id, { actorType: "user", actorId: ctx.user.id }),
    ),
});
