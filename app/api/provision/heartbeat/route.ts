import { HeartbeatRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { recordHeartbeat } from "@/server/domain/provisioning/appliance-progress";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/provision/heartbeat – a provisioning appliance says it is alive (its own key).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "appliance", body: HeartbeatRequest }, ({ principal, body }) =>
    recordHeartbeat(db(), principal, body.appliance_id),
  ),
});
