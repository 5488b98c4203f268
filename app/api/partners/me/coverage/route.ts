import { db } from "@/server/db";
import { getPartnerCoverage } from "@/server/domain/dashboard/partner-coverage";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/partners/me/coverage – AD coverage across the partner's sites: totals and the lowest-covered sites.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token" }, ({ principal }) => getPartnerCoverage(db(), principal.partnerId)),
});
