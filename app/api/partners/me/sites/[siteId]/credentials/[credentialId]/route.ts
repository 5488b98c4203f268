import { z } from "zod";
import { UpdateSiteCredentialRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { deleteSiteCredential, updateSiteCredential } from "@/server/domain/credentials/site-credentials";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120), credentialId: z.string().min(1).max(64) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // PATCH /api/partners/me/sites/{site_id}/credentials/{id} – edit; a missing password keeps the stored one.
  PATCH: route(
    { auth: "partner-token", params, body: UpdateSiteCredentialRequest },
    ({ principal, params, body, ip }) =>
      updateSiteCredential(db(), principal.partnerId, params.siteId, params.credentialId, body, {
        actorType: "partner_token",
        actorId: principal.tokenId,
        ip,
      }),
  ),
  // DELETE /api/partners/me/sites/{site_id}/credentials/{id} – gone from the next check-in.
  DELETE: route({ auth: "partner-token", params }, ({ principal, params, ip }) =>
    deleteSiteCredential(db(), principal.partnerId, params.siteId, params.credentialId, {
      actorType: "partner_token",
      actorId: principal.tokenId,
      ip,
    }),
  ),
});
