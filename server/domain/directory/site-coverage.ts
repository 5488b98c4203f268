/**
 * AD coverage for a site: the computers AD lists now (not "not seen") against what is monitored. Counted in
 * SQL, so a 50,000-computer site costs one round trip per list, not a transfer of every row. Servers scanned
 * are AD servers with a compliance result from the appliance (compliance_latest); agents reporting are
 * workstation agents with status active (filled in when agents arrive).
 */
import { type SiteCoverage, STALE_AFTER_DAYS } from "@/server/contracts";
import type { Db } from "@/server/db";
import { assertPartnerSite } from "../shared/site-ownership";

const LIST_LIMIT = 500;

type Listed = { hostname: string; kind: "server" | "workstation"; enabled: boolean; last_logon: Date | null };

export async function getSiteCoverage(db: Db, partnerId: string, siteId: string): Promise<SiteCoverage> {
  await assertPartnerSite(db, partnerId, siteId);
  const staleBefore = new Date(Date.now() - STALE_AFTER_DAYS * 86_400_000);
  const [counts] = await db.$queryRaw<
    Array<{ servers: number; workstations: number; awaiting: number; agents: number; scanned: number }>
  >`
    SELECT (SELECT count(*)::int FROM windows_targets WHERE site_id = ${siteId} AND missing_since IS NULL) AS servers,
           (SELECT count(*)::int FROM workstations WHERE site_id = ${siteId} AND missing_since IS NULL) AS workstations,
           (SELECT count(*)::int FROM windows_targets WHERE site_id = ${siteId} AND missing_since IS NULL
              AND approval = 'awaiting_approval') AS awaiting,
           (SELECT count(*)::int FROM workstations WHERE site_id = ${siteId} AND missing_since IS NULL
              AND agent_status = 'active') AS agents,
           (SELECT count(*)::int FROM windows_targets t WHERE t.site_id = ${siteId} AND t.missing_since IS NULL
              AND EXISTS (SELECT 1 FROM compliance_latest l WHERE l.site_id = t.site_id AND l.hostname = t.hostname
                            AND l.source = 'appliance_scan')) AS scanned`;
  const list = (where: "disabled" | "stale" | "not_seen") => db.$queryRaw<Listed[]>`
    SELECT hostname, kind, enabled, last_logon FROM (
      SELECT hostname, 'server' AS kind, enabled, last_logon_at AS last_logon, missing_since FROM windows_targets WHERE site_id = ${siteId}
      UNION ALL
      SELECT hostname, 'workstation', enabled, last_logon_at, missing_since FROM workstations WHERE site_id = ${siteId}
    ) c
    WHERE CASE ${where}
      WHEN 'disabled' THEN missing_since IS NULL AND NOT enabled
      WHEN 'stale' THEN missing_since IS NULL AND enabled AND last_logon < ${staleBefore}
      ELSE missing_since IS NOT NULL END
    ORDER BY hostname LIMIT ${LIST_LIMIT}`;
  const [disabled, stale, notSeen, lastRun] = await Promise.all([
    list("disabled"),
    list("stale"),
    list("not_seen"),
    db.enumerationRun.findFirst({
      where: { siteId, site: { partnerId }, status: "merged" },
      orderBy: { enumeratedAt: "desc" },
      select: { domain: true, enumeratedAt: true },
    }),
  ]);
  const servers = counts?.servers ?? 0;
  const workstations = counts?.workstations ?? 0;
  const inAd = servers + workstations;
  const agents = counts?.agents ?? 0;
  const scanned = counts?.scanned ?? 0;
  const wire = (c: Listed) => ({
    hostname: c.hostname,
    kind: c.kind,
    enabled: c.enabled,
    last_logon: c.last_logon?.toISOString() ?? null,
  });
  return {
    site_id: siteId,
    domain: lastRun?.domain ?? null,
    last_enumerated_at: lastRun?.enumeratedAt?.toISOString() ?? null,
    computers_in_ad: inAd,
    servers_in_ad: servers,
    workstations_in_ad: workstations,
    servers_awaiting_approval: counts?.awaiting ?? 0,
    agents_reporting: agents,
    servers_scanned: scanned,
    coverage_percent: inAd === 0 ? null : Math.round(((scanned + agents) / inAd) * 1000) / 10,
    disabled: disabled.map(wire),
    stale: stale.map(wire),
    not_seen: notSeen.map(wire),
  };
}
