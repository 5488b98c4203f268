import { ActivityQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { activityCsvStream } from "@/server/domain/audit/activity-csv";
import { requireActivityReader } from "@/server/http/require-activity-reader";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/activity.csv?<same filters> – the activity log as CSV, streamed, at most 50,000 rows
  // (page and page_size are ignored).
  GET: route({ auth: "partner", query: ActivityQuery }, async ({ principal, query }) => {
    requireActivityReader(principal);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(activityCsvStream(db(), principal.partnerId, query), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="activity-${day}.csv"`,
        "cache-control": "no-store",
      },
    });
  }),
});
