import { RekeyRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { rekeyAppliance } from "@/server/domain/appliances/rekey-appliance";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/appliances/rekey – the appliance replaces its key and sealing public key (its current key).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "appliance", body: RekeyRequest }, ({ principal, body, ip }) =>
    rekeyAppliance(db(), principal, body, ip),
  ),
});
