import { MarkNotificationsReadBody } from "@/server/contracts";
import { db } from "@/server/db";
import { markAlertsRead } from "@/server/domain/notifications/list-alerts";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/partners/me/notifications/read { ids } | { all_matching: { q?, type?, site?, read? } } – marks the
// partner's alerts read; another partner's ids are ignored. Answers { marked }.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "partner-token", body: MarkNotificationsReadBody }, ({ principal, body }) =>
    markAlertsRead(db(), principal.partnerId, body),
  ),
});
