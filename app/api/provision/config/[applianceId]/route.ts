import { z } from "zod";
import { db } from "@/server/db";
import { getApplianceConfig } from "@/server/domain/provisioning/appliance-progress";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/provision/config/{appliance_id} – the appliance's configuration (its own key; never the key).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "appliance", params: z.object({ applianceId: z.string().min(1) }) }, ({ principal, params }) =>
    getApplianceConfig(db(), principal, decodeURIComponent(params.applianceId)),
  ),
});
