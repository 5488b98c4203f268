import { z } from "zod";
import { db } from "@/server/db";
import { getSiteCoverage } from "@/server/domain/directory/site-coverage";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// GET /api/partners/me/sites/{site_id}/coverage – computers in AD against agents reporting and servers scanned.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token", params }, ({ principal, params }) =>
    getSiteCoverage(db(), principal.partnerId, params.siteId),
  ),
});
