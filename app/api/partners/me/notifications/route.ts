import { NotificationsQuery } from "@/server/contracts";
import { db } from "@/server/db";
import { listNotificationFeed } from "@/server/domain/notifications/partner-notifications";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/partners/me/notifications?limit= – every alert the product raised for the partner, newest first.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token", query: NotificationsQuery }, ({ principal, query }) =>
    listNotificationFeed(db(), principal.partnerId, query),
  ),
});
