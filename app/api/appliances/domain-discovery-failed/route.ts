import { DomainDiscoveryFailedRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { recordDomainDiscoveryFailed } from "@/server/domain/directory/record-domain-discovery";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/appliances/domain-discovery-failed – discovery found no domain: what it searched and why (its own key).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "appliance", body: DomainDiscoveryFailedRequest }, ({ principal, body }) =>
    recordDomainDiscoveryFailed(db(), principal, body),
  ),
});
