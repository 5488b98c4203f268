import { z } from "zod";
import { db } from "@/server/db";
import { listDomainControllers } from "@/server/domain/dc-certificates/list-domain-controllers";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// GET /api/partners/me/sites/{site_id}/domain-controllers – the site's DCs with their certificates (any partner token).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner", params }, ({ principal, params }) =>
    listDomainControllers(db(), principal.partnerId, params.siteId),
  ),
});
