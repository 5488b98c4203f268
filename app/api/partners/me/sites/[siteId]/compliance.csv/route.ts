import { z } from "zod";
import { SiteComplianceQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { exportComplianceCsv } from "@/server/domain/compliance/export-compliance-csv";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });
const query = SiteComplianceQuery.omit({ page: true, page_size: true });

// GET /api/partners/me/sites/{site_id}/compliance.csv?q=&check=&status=&sort=&order= – the matrix as CSV
// (host, kind, control, citation, status, observed, expected, checked_at, changed_at, error).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner", params, query }, async ({ principal, params, query }) => {
    const csv = await exportComplianceCsv(db(), principal.partnerId, params.siteId, query);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="compliance-${params.siteId.replace(/[^\w.-]/g, "_")}.csv"`,
        "cache-control": "no-store",
      },
    });
  }),
});
