import { AppliancesQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { listPartnerAppliances } from "@/server/domain/appliances/list-partner-appliances";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/partners/me/appliances?q=&status=&site=&sort=&order=&page=&page_size= – every appliance across the
// partner's sites, searched, filtered, sorted and paged by the server.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token", serverTiming: true, query: AppliancesQuery }, ({ principal, query }) =>
    listPartnerAppliances(db(), principal.partnerId, query),
  ),
});
