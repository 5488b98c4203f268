import { DomainDiscoveredRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { recordDomainDiscovered } from "@/server/domain/directory/record-domain-discovery";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/appliances/domain-discovered – the appliance found its AD domain by DNS SRV (its own key).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "appliance", body: DomainDiscoveredRequest }, ({ principal, body }) =>
    recordDomainDiscovered(db(), principal, body),
  ),
});
