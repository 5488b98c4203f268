import { UpdateComplianceThresholdsRequest } from "@/server/contracts";
import { db } from "@/server/db";
import {
  getComplianceThresholds,
  updateComplianceThresholds,
} from "@/server/domain/compliance-settings/compliance-thresholds";
import { requirePartnerAdmin } from "@/server/http/partner-auth";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/partners/me/compliance-settings – the thresholds the partner's appliances judge with.
  GET: route({ auth: "partner" }, async ({ principal }) => ({
    thresholds: await getComplianceThresholds(db(), principal.partnerId),
  })),
  // PUT /api/partners/me/compliance-settings – a partner admin changes any of them; audited.
  PUT: route({ auth: "partner", body: UpdateComplianceThresholdsRequest }, async ({ principal, body }) => {
    requirePartnerAdmin(principal);
    return { thresholds: await updateComplianceThresholds(db(), principal.partnerId, body, principal.actor) };
  }),
});
