import { z } from "zod";
import { CreateApiTokenRequest } from "@/server/contracts";
import {
  createPartnerApiToken,
  listPartnerApiTokens,
  revokePartnerApiToken,
} from "@/server/domain/tokens/partner-api-tokens";
import { partnerAdminProcedure, router } from "../trpc";

/** The partner's REST API tokens: partner admins only (the UI shows the page to them alone). */
export const apiTokensRouter = router({
  list: partnerAdminProcedure.query(({ ctx }) => listPartnerApiTokens(ctx.db, ctx.partnerId)),
  create: partnerAdminProcedure
    .input(CreateApiTokenRequest)
    .mutation(({ ctx, input }) =>
      createPartnerApiToken(ctx.db, ctx.partnerId, input, { actorType: "user", actorId: ctx.user.id }),
    ),
  revoke: partnerAdminProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) =>
      revokePartnerApiToken(ctx.db, ctx.partnerId, input.id, { actorType: "user", actorId: ctx.user.id }),
    ),
});
