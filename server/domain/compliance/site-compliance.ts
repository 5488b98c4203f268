/**
 * GET /api/partners/me/sites/{site_id}/compliance: the host × control matrix, the latest result per host
 * and control with its citation. Hosts are searched, filtered, sorted and paged in PostgreSQL (a site with
 * thousands of agent workstations costs one page of rows); ties break by hostname so a host never appears
 * on two pages. Scoped by partner (another partner's site: 404).
 */
import {
  COMPLIANCE_CONTROLS,
  type ComplianceCheckResult,
  type ComplianceHost,
  complianceControl,
  type SiteCompliance,
  SiteComplianceQuery,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { containsPattern } from "@/server/lib/contains-pattern";
import { assertPartnerSite } from "../shared/site-ownership";

/** ORDER BY expressions (fixed text, never from input) and each sort's natural direction. */
const SORT_SQL = {
  hostname: { sql: Prisma.raw("hostname"), natural: "asc" },
  failing: { sql: Prisma.raw("failing"), natural: "desc" },
  checked_at: { sql: Prisma.raw("checked_at"), natural: "desc" },
} as const;

const CHECK_ORDER = new Map<string, number>(COMPLIANCE_CONTROLS.map((c, i) => [c.check, i]));

type PageRow = { hostname: string; source: string; total: bigint };

export async function getSiteCompliance(
  db: Db,
  partnerId: string,
  siteId: string,
  query: SiteComplianceQuery = {},
): Promise<SiteCompliance> {
  await assertPartnerSite(db, partnerId, siteId);
  const q = SiteComplianceQuery.parse(query);
  const pattern = q.q ? containsPattern(q.q.toLowerCase()) : null;
  const check = q.check ?? null;
  const status = q.status ?? null;
  const sort = SORT_SQL[q.sort];
  const direction = Prisma.raw((q.order ?? sort.natural) === "desc" ? "DESC" : "ASC");
  const hosts = Prisma.sql`
    SELECT hostname, min(source::text) AS source, count(*) FILTER (WHERE status = 'fail') AS failing,
           max(checked_at) AS checked_at
    FROM compliance_latest
    WHERE site_id = ${siteId} AND (${pattern}::text IS NULL OR hostname ILIKE ${pattern})
      AND (${check}::text IS NULL OR check_name = ${check})
    GROUP BY hostname
    HAVING ${status}::text IS NULL OR bool_or(status::text = ${status})`;
  const [page, summary, appliances] = await Promise.all([
    db.$queryRaw<PageRow[]>`
      SELECT hostname, source, count(*) OVER () AS total FROM (${hosts}) h
      ORDER BY ${sort.sql} ${direction}, hostname ASC
      LIMIT ${q.page_size} OFFSET ${(q.page - 1) * q.page_size}`,
    db.$queryRaw<Array<{ hosts: number; checked: number; passing: number; failing: number }>>`
      SELECT count(DISTINCT hostname)::int AS hosts, count(*)::int AS checked,
             count(*) FILTER (WHERE status = 'pass')::int AS passing,
             count(*) FILTER (WHERE status = 'fail')::int AS failing
      FROM compliance_latest WHERE site_id = ${siteId}`,
    db.appliance.aggregate({ where: { siteId, site: { partnerId } }, _max: { lastScanCompletedAt: true } }),
  ]);
  const names = page.map((p) => p.hostname);
  const rows = names.length
    ? await db.complianceLatest.findMany({
        where: { siteId, site: { partnerId }, hostname: { in: names }, ...(check ? { check } : {}) },
      })
    : [];
  const byHost = new Map<string, ComplianceCheckResult[]>();
  for (const r of rows) {
    const list = byHost.get(r.hostname) ?? [];
    list.push({
      check: r.check as ComplianceCheckResult["check"],
      status: r.status,
      observed: r.observed,
      expected: r.expected,
      error: r.error,
      source: r.source,
      checked_at: r.checkedAt.toISOString(),
      changed_at: r.changedAt.toISOString(),
      hipaa_control: complianceControl(r.check).hipaa_control,
    });
    byHost.set(r.hostname, list);
  }
  const total = page[0]
    ? Number(page[0].total)
    : Number((await db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM (${hosts}) h`)[0]?.n ?? 0);
  const s = summary[0] ?? { hosts: 0, checked: 0, passing: 0, failing: 0 };
  return {
    site_id: siteId,
    controls: COMPLIANCE_CONTROLS.map((c) => ({ ...c })),
    hosts: page.map(
      (p): ComplianceHost => ({
        hostname: p.hostname,
        kind: p.source === "agent" ? "workstation" : "server",
        checks: (byHost.get(p.hostname) ?? []).sort(
          (a, b) => (CHECK_ORDER.get(a.check) ?? 99) - (CHECK_ORDER.get(b.check) ?? 99),
        ),
      }),
    ),
    total,
    page: q.page,
    page_size: q.page_size,
    summary: s,
    last_scan_completed_at: appliances._max.lastScanCompletedAt?.toISOString() ?? null,
  };
}
