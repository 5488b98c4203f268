import { ActivityQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { listPartnerActivity } from "@/server/domain/audit/list-partner-activity";
import { requireActivityReader } from "@/server/http/require-activity-reader";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/activity?actor=&group=&action=&from=&to=&q=&order=&page=&page_size= – the partner's
  // activity log, newest first (partner admins' session, or any partner token; technicians 403).
  GET: route({ auth: "partner", query: ActivityQuery }, async ({ principal, query }) => {
    requireActivityReader(principal);
    return listPartnerActivity(db(), principal.partnerId, query);
  }),
});
