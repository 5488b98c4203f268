import { z } from "zod";
import { CreateApiTokenRequest } from "@/server/contracts";
import { ApiTokenCreatedView, ApiTokenView } from "@/server/contracts/ui";
import {
  createPartnerApiToken,
  listPartnerApiTokens,
  revokePartnerApiToken,
} from "@/server/domain/tokens/partner-api-tokens";
import { camelObject } from "../camel-input";
import { camelKeys, snakeKeys } from "../camel-keys";
import { partnerAdminProcedure, router } from "../trpc";

/** The partner's REST API tokens: partner admins only (the UI shows the page to them alone). */
export const apiTokensRouter = router({
  list: partnerAdminProcedure
    .output(z.array(ApiTokenView))
    .query(async ({ ctx }) => camelKeys(await listPartnerApiTokens(ctx.db, ctx.partnerId))),
  create: partnerAdminProcedure
    .input(camelObject(CreateApiTokenRequest))
    .output(ApiTokenCreatedView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await createPartnerApiToken(ctx.db, ctx.partnerId, snakeKeys(input), {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
  revoke: partnerAdminProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .output(ApiTokenView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await revokePartnerApiToken(ctx.db, ctx.partnerId, input.id, {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
});
