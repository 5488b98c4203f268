import { z } from "zod";
import { db } from "@/server/db";
import { revokeAppliance } from "@/server/domain/appliances/revoke-appliance";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// POST /api/partners/me/appliances/{appliance_id}/revoke – its key answers 401 from the next request (full token).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route(
    { auth: "partner-token", params: z.object({ applianceId: z.string().min(1).max(200) }) },
    ({ principal, params, ip }) =>
      revokeAppliance(db(), principal.partnerId, params.applianceId, {
        actorType: "partner_token",
        actorId: principal.tokenId,
        ip,
        by: principal.label,
      }),
  ),
});
