import { z } from "zod";
import { SiteScanSchedule } from "@/server/contracts";
import { db } from "@/server/db";
import { getSiteScanSchedule, setSiteScanSchedule } from "@/server/domain/compliance-settings/site-scan-schedule";
import { requirePartnerAdmin } from "@/server/http/partner-auth";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/sites/{site_id}/scan-schedule – how often the site's appliances scan on their own.
  GET: route({ auth: "partner", params }, ({ principal, params }) =>
    getSiteScanSchedule(db(), principal.partnerId, params.siteId),
  ),
  // PUT /api/partners/me/sites/{site_id}/scan-schedule – a partner admin sets it (15–1440 minutes); audited.
  PUT: route({ auth: "partner", params, body: SiteScanSchedule }, ({ principal, params, body }) => {
    requirePartnerAdmin(principal);
    return setSiteScanSchedule(db(), principal.partnerId, params.siteId, body, principal.actor);
  }),
});
