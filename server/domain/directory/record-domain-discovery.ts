/**
 * What an appliance's domain discovery reports. A discovered domain is one row per site and domain name: a
 * re-discovery (at every start, and daily) updates its controllers and time, never adds a row. The first
 * report of a domain notifies the partner ("domain_discovered", with the credential form as call to action)
 * in the same transaction as the row and its audit event. Each DC's certificate, when the appliance could read
 * it, is recorded (pending until the partner accepts it or the appliance pins it on first use). A failed discovery is kept on the appliance (what
 * it searched, why it failed) for the site page; the partner is notified when an appliance starts failing,
 * not at each retry.
 */
import { randomUUID } from "node:crypto";
import {
  DomainDiscoveredRequest,
  type DomainDiscoveredResponse,
  DomainDiscoveryFailedRequest,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { forbidden } from "@/server/errors";
import type { AppliancePrincipal } from "../appliances/authenticate-appliance";
import { recordAuditEvent } from "../audit/record-audit-event";
import { recordDcCertificate } from "../dc-certificates/record-dc-certificate";
import { applianceHostname, notifyPartner } from "../notifications/notify-partner";

function assertOwnAppliance(principal: AppliancePrincipal, applianceId: string): void {
  if (applianceId !== principal.applianceId) {
    throw forbidden("This key belongs to a different appliance than the appliance_id given.");
  }
}

export async function recordDomainDiscovered(
  db: Db,
  principal: AppliancePrincipal,
  raw: DomainDiscoveredRequest,
): Promise<DomainDiscoveredResponse> {
  const input = DomainDiscoveredRequest.parse(raw);
  assertOwnAppliance(principal, input.appliance_id);
  const discoveredAt = input.discovered_at ? new Date(input.discovered_at) : new Date();
  // Certificates go to their own table; the controllers keep why none could be read (for the site page).
  const controllers = [...input.domain_controllers]
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight)
    .map(({ certificate: _certificate, ...dc }) => dc);
  return db.$transaction(async (tx) => {
    // One statement decides "new or known", so two appliances of a site reporting at once notify once.
    const [row] = await tx.$queryRaw<Array<{ id: string; inserted: boolean }>>`
      INSERT INTO discovered_domains (id, site_id, appliance_id, domain_name, netbios_name, controllers, discovered_at, created_at, updated_at)
      VALUES (${randomUUID()}, ${principal.siteId}, ${principal.applianceId}, ${input.domain}, ${input.netbios_name ?? null},
              ${JSON.stringify(controllers)}::jsonb, ${discoveredAt}, now(), now())
      ON CONFLICT (site_id, domain_name) DO UPDATE SET
        appliance_id = excluded.appliance_id,
        netbios_name = COALESCE(excluded.netbios_name, discovered_domains.netbios_name),
        controllers = excluded.controllers,
        discovered_at = GREATEST(discovered_domains.discovered_at, excluded.discovered_at),
        updated_at = now()
      RETURNING id, (xmax = 0) AS inserted`;
    if (!row) throw new Error("domain upsert returned nothing");
    await tx.appliance.update({
      where: { id: principal.applianceId },
      data: { discoveryError: null, discoverySearched: [], discoveryFailedAt: null },
    });
    for (const dc of input.domain_controllers) {
      if (!dc.certificate) continue;
      // Seen, not trusted: the partner compares it beside the form, or the appliance pins it at first use.
      await recordDcCertificate(
        tx,
        { siteId: principal.siteId, domain: input.domain, hostname: dc.hostname, certificate: dc.certificate },
        { kind: "none" },
      );
    }
    if (row.inserted) {
      const dcs = controllers.map((c) => c.hostname).join(", ");
      await notifyPartner(tx, principal.partnerId, {
        siteId: principal.siteId,
        applianceId: principal.applianceId,
        kind: "domain_discovered",
        title: `Active Directory domain ${input.domain} discovered`,
        body: `${await applianceHostname(tx, principal.applianceId)} found ${input.domain}${input.netbios_name ? ` (${input.netbios_name})` : ""}${
          dcs ? ` with domain controllers ${dcs}` : ""
        }. Enter one domain admin credential to enumerate its servers and workstations.`,
      });
      await recordAuditEvent(tx, {
        action: "domain.discovered",
        actorType: "appliance",
        actorId: principal.applianceId,
        partnerId: principal.partnerId,
        siteId: principal.siteId,
        targetType: "discovered_domain",
        targetId: row.id,
        metadata: { domain: input.domain, controllers: controllers.length },
      });
    }
    return { status: "ok" as const, domain_id: row.id, domain: input.domain, new_domain: row.inserted };
  });
}

export async function recordDomainDiscoveryFailed(
  db: Db,
  principal: AppliancePrincipal,
  raw: typeof DomainDiscoveryFailedRequest._input,
): Promise<{ status: "ok" }> {
  const input = DomainDiscoveryFailedRequest.parse(raw);
  assertOwnAppliance(principal, input.appliance_id);
  const failedAt = input.failed_at ? new Date(input.failed_at) : new Date();
  await db.$transaction(async (tx) => {
    const before = await tx.appliance.findUniqueOrThrow({
      where: { id: principal.applianceId },
      select: { discoveryFailedAt: true },
    });
    await tx.appliance.update({
      where: { id: principal.applianceId },
      data: { discoveryError: input.error, discoverySearched: input.searched, discoveryFailedAt: failedAt },
    });
    // Known domains make a failed retry less alarming, but the partner still hears of the first failure.
    if (!before.discoveryFailedAt) {
      await notifyPartner(tx, principal.partnerId, {
        siteId: principal.siteId,
        applianceId: principal.applianceId,
        kind: "domain_discovery_failed",
        title: "No Active Directory domain found",
        body: `${await applianceHostname(tx, principal.applianceId)} searched ${input.searched.join(", ") || "nothing"}: ${input.error}`,
      });
    }
  });
  return { status: "ok" };
}
