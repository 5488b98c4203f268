/** What the partner UI shows about sites. Every query is scoped by the partner id. */

import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { requestTrigger } from "../checkin/triggers";
import type { UnusableTarget } from "../checkin/unusable-targets";
import { listSiteCredentials } from "../credentials/site-credentials";
import { getSiteDirectoryStatus } from "../directory/site-directory-status";
import { assertPartnerSite } from "../shared/site-ownership";

/** The partner's sites, newest first, with their appliance counts counted in SQL (500 sites of 10,000 appliances). */
export async function listSites(db: Db, partnerId: string) {
  const sites = await db.$queryRaw<
    Array<{ id: string; client_name: string; created_at: Date; appliances: number; online: number }>
  >`
    SELECT s.id, s.client_name, s.created_at, count(a.id)::int AS appliances,
           (count(a.id) FILTER (WHERE a.status = 'online' AND a.revoked_at IS NULL))::int AS online
    FROM sites s LEFT JOIN appliances a ON a.site_id = s.id
    WHERE s.partner_id = ${partnerId}
    GROUP BY s.id
    ORDER BY s.created_at DESC, s.id`;
  return sites.map((s) => ({ ...s, created_at: s.created_at.toISOString() }));
}

export async function getSiteDetail(db: Db, partnerId: string, siteId: string) {
  await assertPartnerSite(db, partnerId, siteId);
  const [site, appliances, credentials, directory] = await Promise.all([
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
        revokedAt: true,
        revokedBy: true,
        unusableTargets: true,
        unusableSince: true,
      },
    }),
    listSiteCredentials(db, partnerId, siteId),
    getSiteDirectoryStatus(db, partnerId, siteId),
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
      revoked_at: a.revokedAt?.toISOString() ?? null,
      revoked_by: a.revokedBy,
      unusable_targets: (a.unusableTargets ?? []) as UnusableTarget[],
      unusable_since: a.unusableSince?.toISOString() ?? null,
    })),
    credentials,
    directory,
  };
}

/** Raises trigger_immediate_scan for every appliance of the partner's site. */
export async function requestSiteScan(db: Db, partnerId: string, siteId: string, reason: string) {
  await assertPartnerSite(db, partnerId, siteId);
  return requestScanForSite(db, siteId, reason);
}

/**
 * System side (worker): the site id comes from an outbox row the service layer wrote, never from a client.
 * Idempotent: a flag already pending is reused, so running it twice raises nothing twice.
 */
export async function requestScanForSite(db: Db | Prisma.TransactionClient, siteId: string, reason: string) {
  // A revoked appliance could never collect a flag: it is not asked, nor counted.
  const appliances = await db.appliance.findMany({ where: { siteId, revokedAt: null }, select: { id: true } });
  for (const a of appliances) await requestTrigger(db, a.id, "immediate_scan", reason);
  return { appliances: appliances.length };
}
