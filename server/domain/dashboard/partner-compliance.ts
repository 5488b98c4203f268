/**
 * Compliance on the dashboard: per site, the latest result of each host and control counted as checked,
 * passing and failing; and the worst offenders, the hosts with the most failing controls across the
 * partner's sites. One statement over compliance_latest (the latest result per host and control), scoped to
 * the partner's sites, with both answers aggregated as JSON, so 500 sites cost one round trip.
 */
import {
  COMPLIANCE_CONTROLS,
  type ComplianceCheck,
  type ComplianceOffender,
  PARTNER_COMPLIANCE_OFFENDERS,
  PARTNER_COMPLIANCE_SITES,
  type PartnerCompliance,
  type SiteComplianceRow,
} from "@/server/contracts";
import type { Db } from "@/server/db";

type SiteJson = {
  site_id: string;
  client_name: string;
  hosts: number;
  checked: number;
  passing: number;
  failing: number;
  last_ms: number | null;
};
type OffenderJson = {
  site_id: string;
  client_name: string;
  hostname: string;
  failing: number;
  failing_checks: string[];
  checked_ms: number;
};

const percent = (passing: number, of: number) => (of === 0 ? null : Math.round((passing / of) * 1000) / 10);
const CHECK_ORDER = new Map<string, number>(COMPLIANCE_CONTROLS.map((c, i) => [c.check, i]));

export async function getPartnerCompliance(db: Db, partnerId: string): Promise<PartnerCompliance> {
  // Timestamps leave as epoch milliseconds (the columns hold UTC without a zone), never as local text.
  const [row] = await db.$queryRaw<Array<{ sites: SiteJson[]; offenders: OffenderJson[] }>>`
    WITH l AS (
      SELECT l.site_id, s.client_name, l.hostname, l.check_name, l.status, l.checked_at
      FROM compliance_latest l JOIN sites s ON s.id = l.site_id AND s.partner_id = ${partnerId}
    ), per_site AS (
      SELECT site_id, min(client_name) AS client_name, count(DISTINCT hostname)::int AS hosts,
             count(*)::int AS checked,
             count(*) FILTER (WHERE status = 'pass')::int AS passing,
             count(*) FILTER (WHERE status = 'fail')::int AS failing,
             (extract(epoch FROM max(checked_at)) * 1000)::float8 AS last_ms
      FROM l GROUP BY site_id
    ), offenders AS (
      SELECT site_id, min(client_name) AS client_name, hostname,
             count(*)::int AS failing, array_agg(check_name) AS failing_checks,
             (extract(epoch FROM max(checked_at)) * 1000)::float8 AS checked_ms
      FROM l WHERE status = 'fail' GROUP BY site_id, hostname
      ORDER BY failing DESC, checked_ms DESC, hostname ASC, site_id ASC
      LIMIT ${PARTNER_COMPLIANCE_OFFENDERS}
    )
    SELECT (SELECT coalesce(json_agg(per_site), '[]'::json) FROM per_site) AS sites,
           (SELECT coalesce(json_agg(offenders ORDER BY failing DESC, checked_ms DESC, hostname, site_id), '[]'::json)
            FROM offenders) AS offenders`;
  const rows = row?.sites ?? [];
  const sites: SiteComplianceRow[] = rows.map((r) => ({
    site_id: r.site_id,
    client_name: r.client_name,
    hosts: r.hosts,
    checked: r.checked,
    passing: r.passing,
    failing: r.failing,
    passing_percent: percent(r.passing, r.checked),
    last_checked_at: r.last_ms === null ? null : new Date(r.last_ms).toISOString(),
  }));
  // Lowest passing share first (where help is needed), then most failing, then by name.
  sites.sort(
    (a, b) =>
      (a.passing_percent ?? 100) - (b.passing_percent ?? 100) ||
      b.failing - a.failing ||
      a.client_name.localeCompare(b.client_name),
  );
  const sum = (k: "hosts" | "checked" | "passing" | "failing") => rows.reduce((n, r) => n + r[k], 0);
  return {
    totals: {
      hosts: sum("hosts"),
      checked: sum("checked"),
      passing: sum("passing"),
      failing: sum("failing"),
      passing_percent: percent(sum("passing"), sum("checked")),
    },
    sites_with_results: sites.length,
    sites: sites.slice(0, PARTNER_COMPLIANCE_SITES),
    worst_offenders: (row?.offenders ?? []).map(
      (o): ComplianceOffender => ({
        site_id: o.site_id,
        client_name: o.client_name,
        hostname: o.hostname,
        failing: o.failing,
        failing_checks: (o.failing_checks as ComplianceCheck[]).sort(
          (a, b) => (CHECK_ORDER.get(a) ?? 99) - (CHECK_ORDER.get(b) ?? 99),
        ),
        checked_at: new Date(o.checked_ms).toISOString(),
      }),
    ),
  };
}
