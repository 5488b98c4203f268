import { z } from "zod";
import { CreateSiteCredentialRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { createSiteCredential, listSiteCredentials } from "@/server/domain/credentials/site-credentials";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/sites/{site_id}/credentials – the site's credentials, never a password.
  GET: route({ auth: "partner-token", params }, async ({ principal, params }) => ({
    credentials: await listSiteCredentials(db(), principal.partnerId, params.siteId),
  })),
  // POST /api/partners/me/sites/{site_id}/credentials – store a credential (encrypted); 201 without the password.
  POST: route(
    { auth: "partner-token", params, body: CreateSiteCredentialRequest, status: 201 },
    ({ principal, params, body, ip }) =>
      createSiteCredential(db(), principal.partnerId, params.siteId, body, {
        actorType: "partner_token",
        actorId: principal.tokenId,
        ip,
      }),
  ),
});
