/**
 * What the site page shows about Active Directory before and around the targets: the domains the appliances
 * found (with their controllers), each appliance's failed discovery ("no domain found: searched X, Y"), and the
 * latest enumeration run (running, merged, or failed with the appliance's words). Scoped by partner; the
 * caller has checked the site belongs to it.
 */
import type { Db } from "@/server/db";

export async function getSiteDirectoryStatus(db: Db, partnerId: string, siteId: string) {
  const [domains, failures, lastRun] = await Promise.all([
    db.discoveredDomain.findMany({
      where: { siteId, site: { partnerId } },
      orderBy: { createdAt: "asc" },
      select: { domainName: true, netbiosName: true, controllers: true, discoveredAt: true, applianceId: true },
    }),
    db.appliance.findMany({
      where: { siteId, site: { partnerId }, discoveryFailedAt: { not: null } },
      select: { id: true, discoveryError: true, discoverySearched: true, discoveryFailedAt: true },
    }),
    db.enumerationRun.findFirst({
      where: { siteId, site: { partnerId } },
      orderBy: { receivedAt: "desc" },
      select: {
        id: true,
        domain: true,
        status: true,
        partial: true,
        error: true,
        serverCount: true,
        workstationCount: true,
        enumeratedAt: true,
        receivedAt: true,
        mergedAt: true,
      },
    }),
  ]);
  return {
    domains: domains.map((d) => ({
      domain: d.domainName,
      netbios_name: d.netbiosName,
      domain_controllers: d.controllers as Array<{ hostname: string; port: number; priority: number; weight: number }>,
      discovered_at: d.discoveredAt.toISOString(),
      appliance_id: d.applianceId,
    })),
    discovery_failures: failures.map((a) => ({
      appliance_id: a.id,
      error: a.discoveryError,
      searched: a.discoverySearched,
      failed_at: a.discoveryFailedAt?.toISOString() ?? null,
    })),
    last_enumeration: lastRun
      ? {
          run_id: lastRun.id,
          domain: lastRun.domain,
          status: lastRun.status,
          partial: lastRun.partial,
          error: lastRun.error,
          servers: lastRun.serverCount,
          workstations: lastRun.workstationCount,
          enumerated_at: lastRun.enumeratedAt?.toISOString() ?? null,
          received_at: lastRun.receivedAt.toISOString(),
          merged_at: lastRun.mergedAt?.toISOString() ?? null,
        }
      : null,
  };
}
