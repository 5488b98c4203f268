/** What the partner UI shows about sites. Every query is scoped by the partner id. */
import type { Db } from "@/server/db";
import { requestTrigger } from "../checkin/triggers";
import { assertPartnerSite, listSiteCredentials } from "../credentials/site-credentials";

export async function listSites(db: Db, partnerId: string) {
  const sites = await db.site.findMany({
    where: { partnerId },
    orderBy: { createdAt: "desc" },
    select: { id: true, clientName: true, createdAt: true, appliances: { select: { status: true } } },
  });
  return sites.map((s) => ({
    id: s.id,
    client_name: s.clientName,
    created_at: s.createdAt.toISOString(),
    appliances: s.appliances.length,
    online: s.appliances.filter((a) => a.status === "online").length,
  }));
}

export async function getSiteDetail(db: Db, partnerId: string, siteId: string) {
  await assertPartnerSite(db, partnerId, siteId);
  const [site, appliances, credentials] = await Promise.all([
    db.site.findFirstOrThrow({
      where: { id: siteId, partnerId },
      select: { id: true, clientName: true, createdAt: true },
    }),
    db.appliance.findMany({
      where: { siteId, site: { partnerId } },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        hostname: true,
        macAddress: true,
        status: true,
        provisionStatus: true,
        provisionProgress: true,
        lastCheckinAt: true,
        agentVersion: true,
        uptimeS: true,
      },
    }),
    listSiteCredentials(db, partnerId, siteId),
  ]);
  return {
    id: site.id,
    client_name: site.clientName,
    created_at: site.createdAt.toISOString(),
    appliances: appliances.map((a) => ({
      id: a.id,
      hostname: a.hostname,
      mac_address: a.macAddress,
      status: a.status,
      provision_status: a.provisionStatus,
      last_checkin_at: a.lastCheckinAt?.toISOString() ?? null,
      agent_version: a.agentVersion,
      uptime_s: a.uptimeS,
    })),
    credentials,
  };
}

/** Raises trigger_immediate_scan for every appliance of the partner's site. */
export async function requestSiteScan(db: Db, partnerId: string, siteId: string, reason: string) {
  await assertPartnerSite(db, partnerId, siteId);
  return requestScanForSite(db, siteId, reason);
}

/** System side (worker): the site id comes from a job the service layer enqueued, never from a client. */
export async function requestScanForSite(db: Db, siteId: string, reason: string) {
  const appliances = await db.appliance.findMany({ where: { siteId }, select: { id: true } });
  for (const a of appliances) await requestTrigger(db, a.id, "immediate_scan", reason);
  return { appliances: appliances.length };
}
