import { z } from "zod";
import { db } from "@/server/db";
import { listSiteTargets } from "@/server/domain/directory/site-targets";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// GET /api/partners/me/sites/{site_id}/targets – servers (provenance, approval, AD state) and workstations.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token", params }, ({ principal, params }) =>
    listSiteTargets(db(), principal.partnerId, params.siteId),
  ),
});
