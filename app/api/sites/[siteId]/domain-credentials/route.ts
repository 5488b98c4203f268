import { z } from "zod";
import { CreateDomainCredentialRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { getDomainCredentialMetadata, setDomainCredential } from "@/server/domain/directory/domain-credential";
import { releaseDomainCredential } from "@/server/domain/directory/release-domain-credential";
import { requirePartnerAdmin } from "@/server/http/partner-auth";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/sites/{site_id}/domain-credentials – the site's appliance: the credential (sealed to it, audited);
  // a partner (token or session): metadata only, never the password.
  GET: route({ auth: "appliance-or-partner", params }, ({ principal, params }) =>
    principal.kind === "appliance"
      ? releaseDomainCredential(db(), principal, params.siteId)
      : getDomainCredentialMetadata(db(), principal.partnerId, params.siteId),
  ),
  // POST /api/sites/{site_id}/domain-credentials – a partner admin (session or full token) enters the ONE
  // domain credential; replaces the previous one and asks the appliances to enumerate. 201 without the password.
  POST: route(
    { auth: "partner", params, body: CreateDomainCredentialRequest, status: 201 },
    ({ principal, params, body }) => {
      requirePartnerAdmin(principal);
      return setDomainCredential(db(), principal.partnerId, params.siteId, body, {
        ...principal.actor,
        by: principal.label,
      });
    },
  ),
});
