import { CreateProvisionCodeRequest } from "@/server/contracts";
import { db } from "@/server/db";
import { createProvisionCode, listProvisionCodes } from "@/server/domain/provisioning/partner-codes";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/provision-codes – the partner's codes and their state; never a full code.
  GET: route({ auth: "partner-token" }, async ({ principal }) => ({
    provision_codes: await listProvisionCodes(db(), principal.partnerId),
  })),
  // POST /api/partners/me/provision-codes – create a code; the only answer that shows it in full.
  POST: route({ auth: "partner-token", body: CreateProvisionCodeRequest, status: 201 }, ({ principal, body, ip }) =>
    createProvisionCode(db(), principal.partnerId, body, {
      actorType: "partner_token",
      actorId: principal.tokenId,
      ip,
    }),
  ),
});
