import { CreateApiTokenRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { createPartnerApiToken, listPartnerApiTokens } from "@/server/domain/tokens/partner-api-tokens";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/api-tokens – the partner's tokens (any scope may read), never a token itself.
  GET: route({ auth: "partner-token" }, async ({ principal }) => ({
    api_tokens: await listPartnerApiTokens(db(), principal.partnerId),
  })),
  // POST /api/partners/me/api-tokens – mint a token (full token only); 201, the token shown once.
  POST: route({ auth: "partner-token", body: CreateApiTokenRequest, status: 201 }, ({ principal, body, ip }) =>
    createPartnerApiToken(db(), principal.partnerId, body, {
      actorType: "partner_token",
      actorId: principal.tokenId,
      ip,
    }),
  ),
});
