/** What a provisioned appliance reports with its own key. Each call checks the key's appliance is the one named. */
import {
  APPLIANCE_SETTING_DEFAULTS,
  type ApplianceConfigResponse,
  type OkResponse,
  type ProvisionStatusRequest,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { getEnv } from "@/server/env";
import { forbidden, notFound } from "@/server/errors";
import type { AppliancePrincipal } from "../appliances/authenticate-appliance";
import { recordAuditEvent } from "../audit/record-audit-event";

function assertSelf(principal: AppliancePrincipal, applianceId: string): void {
  if (principal.applianceId !== applianceId) {
    throw forbidden("This key belongs to a different appliance than the appliance_id given.");
  }
}

const ok = (): OkResponse => ({ status: "ok", server_time: new Date().toISOString() });

export async function updateProvisionStatus(
  db: Db,
  principal: AppliancePrincipal,
  input: ProvisionStatusRequest,
): Promise<OkResponse> {
  assertSelf(principal, input.appliance_id);
  const status = input.status === "ready" ? "online" : input.status === "error" ? "error" : "provisioning";
  await db.appliance.update({
    where: { id: principal.applianceId },
    data: {
      status,
      provisionStatus: input.status,
      provisionMessage: input.message ?? null,
      ...(input.progress !== undefined
        ? { provisionProgress: input.progress }
        : input.status === "ready"
          ? { provisionProgress: 100 }
          : {}),
      lastCheckinAt: new Date(),
    },
  });
  if (input.status === "ready" || input.status === "error") {
    await recordAuditEvent(db, {
      action: `appliance.provision_${input.status}`,
      actorType: "appliance",
      actorId: principal.applianceId,
      partnerId: principal.partnerId,
      siteId: principal.siteId,
      metadata: input.message ? { message: input.message } : undefined,
    });
  }
  return ok();
}

export async function recordHeartbeat(db: Db, principal: AppliancePrincipal, applianceId: string): Promise<OkResponse> {
  assertSelf(principal, applianceId);
  await db.appliance.update({ where: { id: principal.applianceId }, data: { lastCheckinAt: new Date() } });
  return ok();
}

export async function getApplianceConfig(
  db: Db,
  principal: AppliancePrincipal,
  applianceId: string,
): Promise<ApplianceConfigResponse> {
  assertSelf(principal, applianceId);
  const appliance = await db.appliance.findFirst({
    where: { id: applianceId, siteId: principal.siteId },
    select: {
      id: true,
      siteId: true,
      site: { select: { partner: { select: { slug: true, brandName: true, primaryColor: true } } } },
    },
  });
  if (!appliance) throw notFound("Appliance not found.");
  const env = getEnv();
  const partner = appliance.site.partner;
  return {
    site_id: appliance.siteId,
    appliance_id: appliance.id,
    api_endpoint: env.PUBLIC_URL,
    ...APPLIANCE_SETTING_DEFAULTS,
    poll_interval: env.POLL_INTERVAL_S,
    partner: { slug: partner.slug, brand_name: partner.brandName, primary_color: partner.primaryColor },
  };
}
