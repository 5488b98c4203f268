import { z } from "zod";
import { db } from "@/server/db";
import { revokePartnerApiToken } from "@/server/domain/tokens/partner-api-tokens";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// DELETE /api/partners/me/api-tokens/{id} – revoke (full token only); 401 for it from the next request.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  DELETE: route(
    { auth: "partner-token", params: z.object({ id: z.string().min(1).max(64) }) },
    ({ principal, params, ip }) =>
      revokePartnerApiToken(db(), principal.partnerId, params.id, {
        actorType: "partner_token",
        actorId: principal.tokenId,
        ip,
      }),
  ),
});
