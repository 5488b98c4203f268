import { z } from "zod";
import { TargetsQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { listSiteTargets } from "@/server/domain/directory/site-targets";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// GET /api/partners/me/sites/{site_id}/targets?kind=&q=&provenance=&status=&sort=&order=&page=&page_size= –
// a page of servers (provenance, approval, AD state) and of workstations, searched and sorted by the server.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token", params, query: TargetsQuery }, ({ principal, params, query }) =>
    listSiteTargets(db(), principal.partnerId, params.siteId, query),
  ),
});
