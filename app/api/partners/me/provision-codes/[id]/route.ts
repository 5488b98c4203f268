import { z } from "zod";
import { db } from "@/server/db";
import { revokeProvisionCode } from "@/server/domain/provisioning/partner-codes";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// DELETE /api/partners/me/provision-codes/{id} – revoke an unclaimed code (another partner's id: 404).
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  DELETE: route(
    { auth: "partner-token", params: z.object({ id: z.string().min(1).max(64) }) },
    ({ principal, params, ip }) =>
      revokeProvisionCode(db(), principal.partnerId, params.id, {
        actorType: "partner_token",
        actorId: principal.tokenId,
        ip,
      }),
  ),
});
