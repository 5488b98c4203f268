import { z } from "zod";
import { ComplianceDriftQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { listComplianceDrift } from "@/server/domain/compliance/list-compliance-drift";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// GET /api/partners/me/sites/{site_id}/compliance/drift?limit=&cursor=&hostname=&check= – every change of
// status of a host and control, newest first, paged by next_cursor.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner", params, query: ComplianceDriftQuery }, ({ principal, params, query }) =>
    listComplianceDrift(db(), principal.partnerId, params.siteId, query),
  ),
});
