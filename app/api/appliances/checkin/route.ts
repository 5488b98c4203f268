import { CheckinRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { checkIn, onAppliancesBackOnline } from "@/server/domain/checkin/check-in";
import { notifyBackOnline } from "@/server/domain/notifications/notify-partner";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

onAppliancesBackOnline((rows) => notifyBackOnline(db(), rows));

// POST /api/appliances/checkin – every poll_interval: flags, fresh Windows credentials, last-seen.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "appliance-checkin", body: CheckinRequest }, ({ principal, body }) =>
    checkIn(db(), principal, body),
  ),
});
