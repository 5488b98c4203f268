import { z } from "zod";
import { AcceptDcCertificateRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { acceptDcCertificate } from "@/server/domain/dc-certificates/accept-dc-certificate";
import { requirePartnerAdmin } from "@/server/http/partner-auth";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// POST /api/partners/me/sites/{site_id}/domain-controllers/accept-certificate – a partner admin (session or full
// token) trusts the certificate a DC presents now; the site's appliances enumerate again with the new pin.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "partner", params, body: AcceptDcCertificateRequest }, ({ principal, params, body }) => {
    requirePartnerAdmin(principal);
    return acceptDcCertificate(db(), principal.partnerId, params.siteId, body, {
      ...principal.actor,
      by: principal.label,
    });
  }),
});
