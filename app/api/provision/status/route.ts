import { ProvisionStatusRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { updateProvisionStatus } from "@/server/domain/provisioning/appliance-progress";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/provision/status – the appliance reports its provisioning progress (its own key).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "appliance", body: ProvisionStatusRequest }, ({ principal, body }) =>
    updateProvisionStatus(db(), principal, body),
  ),
});
