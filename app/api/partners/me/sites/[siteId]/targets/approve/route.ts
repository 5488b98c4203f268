import { z } from "zod";
import { ApproveTargetsRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { approveTargets } from "@/server/domain/directory/approve-targets";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ siteId: z.string().min(1).max(120) });

// POST /api/partners/me/sites/{site_id}/targets/approve – give servers awaiting approval the domain credential.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route({ auth: "partner-token", params, body: ApproveTargetsRequest }, ({ principal, params, body, ip }) =>
    approveTargets(db(), principal.partnerId, params.siteId, body, {
      actorType: "partner_token",
      actorId: principal.tokenId,
      ip,
      by: principal.label,
    }),
  ),
});
