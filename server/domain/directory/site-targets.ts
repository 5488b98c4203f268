/**
 * GET /api/partners/me/sites/{site_id}/targets: the site's Windows servers (discovered in AD, entered by hand as
 * a credential with a host, or both) and its workstations. A host that is both shows both provenances and its
 * manual settings. Never a password. Scoped by partner.
 */
import { type ServerTargetWire, type SiteTargets, STALE_AFTER_DAYS, type WorkstationWire } from "@/server/contracts";
import type { Db } from "@/server/db";
import { assertPartnerSite } from "../shared/site-ownership";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function isStale(lastLogon: Date | null, now = Date.now()): boolean {
  return lastLogon !== null && now - lastLogon.getTime() > STALE_AFTER_DAYS * 86_400_000;
}

export async function listSiteTargets(db: Db, partnerId: string, siteId: string): Promise<SiteTargets> {
  await assertPartnerSite(db, partnerId, siteId);
  const [discovered, manual, workstations] = await Promise.all([
    db.windowsTarget.findMany({ where: { siteId, site: { partnerId } }, orderBy: { hostname: "asc" } }),
    db.siteCredential.findMany({
      where: { siteId, site: { partnerId }, host: { not: null } },
      orderBy: { createdAt: "asc" },
      select: { id: true, host: true, useSsl: true },
    }),
    db.workstation.findMany({ where: { siteId, site: { partnerId } }, orderBy: { hostname: "asc" } }),
  ]);
  const manualByHost = new Map<string, (typeof manual)[number]>();
  for (const m of manual)
    if (m.host && !manualByHost.has(m.host.toLowerCase())) manualByHost.set(m.host.toLowerCase(), m);

  const servers: ServerTargetWire[] = discovered.map((t) => {
    const m = manualByHost.get(t.hostname);
    manualByHost.delete(t.hostname);
    return {
      id: t.id,
      hostname: t.hostname,
      provenance: m ? ["manual", "discovered"] : ["discovered"],
      approval: m ? "manual" : t.approval,
      credential_id: m ? m.id : t.credentialId,
      use_ssl: m ? m.useSsl : t.useSsl,
      port: m ? (m.useSsl ? 5986 : 5985) : t.port,
      os: t.operatingSystem,
      os_version: t.osVersion,
      distinguished_name: t.distinguishedName,
      is_domain_controller: t.isDomainController,
      enabled: t.enabled,
      stale: isStale(t.lastLogonAt),
      winrm_reachable: t.winrmReachable,
      last_logon: iso(t.lastLogonAt),
      last_seen_in_ad: iso(t.lastSeenAt),
      not_seen_since: iso(t.missingSince),
      last_scan_at: null,
    };
  });
  for (const [host, m] of manualByHost) {
    servers.push({
      id: null,
      hostname: host,
      provenance: ["manual"],
      approval: "manual",
      credential_id: m.id,
      use_ssl: m.useSsl,
      port: m.useSsl ? 5986 : 5985,
      os: null,
      os_version: null,
      distinguished_name: null,
      is_domain_controller: false,
      enabled: true,
      stale: false,
      winrm_reachable: null,
      last_logon: null,
      last_seen_in_ad: null,
      not_seen_since: null,
      last_scan_at: null,
    });
  }
  servers.sort((a, b) => a.hostname.localeCompare(b.hostname));
  return {
    servers,
    workstations: workstations.map(
      (w): WorkstationWire => ({
        id: w.id,
        hostname: w.hostname,
        name: w.name,
        os: w.operatingSystem,
        os_version: w.osVersion,
        distinguished_name: w.distinguishedName,
        enabled: w.enabled,
        stale: isStale(w.lastLogonAt),
        last_logon: iso(w.lastLogonAt),
        last_seen_in_ad: iso(w.lastSeenAt),
        not_seen_since: iso(w.missingSince),
        agent_status: w.agentStatus,
        agent_last_seen_at: iso(w.agentLastSeenAt),
      }),
    ),
  };
}
