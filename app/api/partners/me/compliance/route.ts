import { db } from "@/server/db";
import { getPartnerCompliance } from "@/server/domain/dashboard/partner-compliance";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/partners/me/compliance – compliance across the partner's sites: totals, sites lowest passing share
// first, and the hosts with the most failing controls.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token" }, ({ principal }) => getPartnerCompliance(db(), principal.partnerId)),
});
