/**
 * AD coverage on the dashboard: per site, the computers AD lists now (not "not seen") against what is
 * monitored, and the disabled, stale and awaiting-approval counts; and the partner's totals. Counted in SQL
 * in one statement grouped by site, so 500 sites of 10,000 computers cost one round trip. Counts follow
 * site-coverage.ts (the site page): servers scanned are AD servers with a result from the appliance's scan
 * (compliance_latest); agents reporting fill in with the workstation agents.
 */
import {
  PARTNER_COVERAGE_SITES,
  type PartnerCoverage,
  type SiteCoverageRow,
  STALE_AFTER_DAYS,
} from "@/server/contracts";
import type { Db } from "@/server/db";

type Row = {
  site_id: string;
  client_name: string;
  servers: number;
  workstations: number;
  agents: number;
  scanned: number;
  disabled: number;
  stale: number;
  awaiting: number;
};

const percent = (covered: number, of: number) => (of === 0 ? null : Math.round((covered / of) * 1000) / 10);

function toRow(r: Omit<Row, "site_id" | "client_name">) {
  const inAd = r.servers + r.workstations;
  const scanned = r.scanned;
  return {
    computers_in_ad: inAd,
    servers_in_ad: r.servers,
    servers_scanned: scanned,
    agents_reporting: r.agents,
    coverage_percent: percent(scanned + r.agents, inAd),
    disabled: r.disabled,
    stale: r.stale,
    servers_awaiting_approval: r.awaiting,
  };
}

export async function getPartnerCoverage(db: Db, partnerId: string): Promise<PartnerCoverage> {
  const staleBefore = new Date(Date.now() - STALE_AFTER_DAYS * 86_400_000);
  const rows = await db.$queryRaw<Row[]>`
    WITH c AS (
      SELECT t.site_id, TRUE AS server, t.enabled, t.last_logon_at, t.approval = 'awaiting_approval' AS awaiting,
             FALSE AS agent,
             EXISTS (SELECT 1 FROM compliance_latest l WHERE l.site_id = t.site_id AND l.hostname = t.hostname
                       AND l.source = 'appliance_scan') AS scanned
      FROM windows_targets t
      WHERE missing_since IS NULL AND site_id IN (SELECT id FROM sites WHERE partner_id = ${partnerId})
      UNION ALL
      SELECT site_id, FALSE, enabled, last_logon_at, FALSE, agent_status = 'active', FALSE
      FROM workstations
      WHERE missing_since IS NULL AND site_id IN (SELECT id FROM sites WHERE partner_id = ${partnerId})
    )
    SELECT s.id AS site_id, s.client_name,
           count(*) FILTER (WHERE c.server)::int AS servers,
           count(*) FILTER (WHERE NOT c.server)::int AS workstations,
           count(*) FILTER (WHERE c.agent)::int AS agents,
           count(*) FILTER (WHERE c.scanned)::int AS scanned,
           count(*) FILTER (WHERE NOT c.enabled)::int AS disabled,
           count(*) FILTER (WHERE c.enabled AND c.last_logon_at < ${staleBefore})::int AS stale,
           count(*) FILTER (WHERE c.awaiting)::int AS awaiting
    FROM c JOIN sites s ON s.id = c.site_id AND s.partner_id = ${partnerId}
    GROUP BY s.id, s.client_name`;
  const sites: SiteCoverageRow[] = rows.map((r) => ({ site_id: r.site_id, client_name: r.client_name, ...toRow(r) }));
  // Lowest coverage first (where help is needed), then the biggest sites, then by name.
  sites.sort(
    (a, b) =>
      (a.coverage_percent ?? 0) - (b.coverage_percent ?? 0) ||
      b.computers_in_ad - a.computers_in_ad ||
      a.client_name.localeCompare(b.client_name),
  );
  const sum = (k: keyof Omit<Row, "site_id" | "client_name">) => rows.reduce((n, r) => n + r[k], 0);
  return {
    totals: toRow({
      servers: sum("servers"),
      workstations: sum("workstations"),
      agents: sum("agents"),
      scanned: sum("scanned"),
      disabled: sum("disabled"),
      stale: sum("stale"),
      awaiting: sum("awaiting"),
    }),
    sites_with_ad: sites.length,
    sites: sites.slice(0, PARTNER_COVERAGE_SITES),
  };
}
