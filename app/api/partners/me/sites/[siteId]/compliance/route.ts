import { z } from "zod";
import { SiteComplianceQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { getSiteCompliance } from "@/server/domain/compliance/site-compliance";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// GET /api/partners/me/sites/{site_id}/compliance?q=&check=&status=&sort=&order=&page=&page_size= – the latest
// result per host and control (with its HIPAA citation), a page of hosts at a time.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner", params, query: SiteComplianceQuery }, ({ principal, params, query }) =>
    getSiteCompliance(db(), principal.partnerId, params.siteId, query),
  ),
});
