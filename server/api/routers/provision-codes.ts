import { z } from "zod";
import { CreateProvisionCodeRequest } from "@/server/contracts";
import { ProvisionCodeCreatedView, ProvisionCodeView, ProvisioningActivityView } from "@/server/contracts/ui";
import { createProvisionCode, revokeProvisionCode } from "@/server/domain/provisioning/partner-codes";
import { listProvisioningActivity } from "@/server/domain/provisioning/provisioning-activity";
import { camelObject } from "../camel-input";
import { camelKeys, snakeKeys } from "../camel-keys";
import { partnerProcedure, router } from "../trpc";

export const provisionCodesRouter = router({
  list: partnerProcedure
    .output(ProvisioningActivityView)
    .query(async ({ ctx }) => camelKeys(await listProvisioningActivity(ctx.db, ctx.partnerId))),
  create: partnerProcedure
    .input(camelObject(CreateProvisionCodeRequest))
    .output(ProvisionCodeCreatedView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await createProvisionCode(ctx.db, ctx.partnerId, snakeKeys(input), {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
  revoke: partnerProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .output(ProvisionCodeView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await revokeProvisionCode(ctx.db, ctx.partnerId, input.id, {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
});
