import { NotificationsQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { listAlerts } from "@/server/domain/notifications/list-alerts";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/partners/me/notifications?q=&type=&site=&read=&order=&page=&page_size= (or ?limit=) – the partner's
// alerts, newest first, searched, filtered and paged by the server; without parameters the 50 newest.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token", serverTiming: true, query: NotificationsQuery }, ({ principal, query }) =>
    listAlerts(db(), principal.partnerId, query),
  ),
});
