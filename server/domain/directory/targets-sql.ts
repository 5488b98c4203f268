/**
 * The SQL behind the targets lists: one statement per list returns a page and (as a window count) the number
 * of rows that match, so paging, search, filters and sorting cost one round trip each, whatever the site's
 * size. The status of a row is derived here, once, in the order TARGET_STATUSES gives (the status sort uses
 * that order). Every statement is scoped by site id; the caller has checked the site is the partner's.
 * ORDER BY expressions are fixed text chosen from an enum, never from input.
 */
import { TARGET_STATUSES, type TargetSort, type TargetStatus } from "@/server/contracts";
import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { containsPattern } from "@/server/lib/contains-pattern";

export type Filters = {
  siteId: string;
  staleBefore: Date;
  q: string | null;
  provenance: "manual" | "discovered" | null;
  status: TargetStatus | null;
  sort: TargetSort;
  order: "asc" | "desc";
  limit: number;
  offset: number;
};

type Common = {
  hostname: string;
  os: string | null;
  os_version: string | null;
  distinguished_name: string | null;
  enabled: boolean;
  last_logon_at: Date | null;
  last_seen_at: Date | null;
  missing_since: Date | null;
  status: TargetStatus;
  total: bigint;
};

export type ServerRow = Common & {
  id: string | null;
  manual: boolean;
  discovered: boolean;
  approval: "approved" | "awaiting_approval" | "manual";
  credential_id: string | null;
  use_ssl: boolean;
  port: number;
  is_domain_controller: boolean;
  winrm_reachable: boolean | null;
};

export type WorkstationRow = Common & {
  id: string;
  name: string | null;
  agent_status: "not_deployed" | "pending" | "active" | "stale" | "error";
  agent_last_seen_at: Date | null;
};

const SORT_SQL: Record<TargetSort, Prisma.Sql> = {
  hostname: Prisma.raw("hostname"),
  os: Prisma.raw("lower(os)"),
  last_logon: Prisma.raw("last_logon_at"),
  last_seen: Prisma.raw("last_seen_at"),
  status: Prisma.raw(`array_position(ARRAY[${TARGET_STATUSES.map((s) => `'${s}'`).join(",")}]::text[], status)`),
};

/** WHERE for the derived rows `r` (search, provenance, status), ORDER BY (nulls last either way), LIMIT. */
function pageOf(f: Filters, hasName: boolean) {
  const pattern = f.q ? containsPattern(f.q) : null;
  const name = hasName ? Prisma.sql`OR r.name ILIKE ${pattern}` : Prisma.empty;
  const where = Prisma.sql`
    WHERE (${pattern}::text IS NULL OR r.hostname ILIKE ${pattern} ${name}
           OR r.os ILIKE ${pattern} OR r.distinguished_name ILIKE ${pattern})
      AND (${f.provenance}::text IS NULL OR (${f.provenance} = 'manual' AND r.manual)
           OR (${f.provenance} = 'discovered' AND r.discovered))
      AND (${f.status}::text IS NULL OR r.status = ${f.status})`;
  const direction = Prisma.raw(f.order === "desc" ? "DESC" : "ASC");
  const tail = Prisma.sql`
    ORDER BY ${SORT_SQL[f.sort]} ${direction} NULLS LAST, hostname ASC
    LIMIT ${f.limit} OFFSET ${f.offset}`;
  return { where, tail };
}

/** The status CASE shared by both lists (`approval` is the server's, 'listed' for a workstation). */
function statusCase(f: Filters, approval: Prisma.Sql) {
  return Prisma.sql`CASE
      WHEN missing_since IS NOT NULL THEN 'not_seen'
      WHEN ${approval} = 'awaiting_approval' THEN 'awaiting_approval'
      WHEN NOT enabled THEN 'disabled'
      WHEN last_logon_at < ${f.staleBefore} THEN 'stale'
      ELSE ${approval} END`;
}

/** Rows past the last page carry no window count: then count on its own, so the UI can step back. */
async function withTotal<R extends { total: bigint }>(
  rows: R[],
  count: () => Promise<Array<{ n: bigint }>>,
): Promise<{ rows: R[]; total: number }> {
  const total = rows[0] ? Number(rows[0].total) : Number((await count())[0]?.n ?? 0);
  return { rows, total };
}

export async function queryServers(db: Db, f: Filters) {
  // A manual target is a site credential with a host (the oldest per host, as the check-in uses it); a host
  // that AD lists as well is one row with both provenances and the manual settings.
  const derived = Prisma.sql`
    WITH manual AS (
      SELECT DISTINCT ON (lower(host)) id, lower(host) AS hostname, use_ssl
      FROM site_credentials WHERE site_id = ${f.siteId} AND host IS NOT NULL
      ORDER BY lower(host), created_at
    ), base AS (
      SELECT t.id, t.hostname, m.id IS NOT NULL AS manual, TRUE AS discovered,
             CASE WHEN m.id IS NOT NULL THEN 'manual' ELSE t.approval::text END AS approval,
             COALESCE(m.id, t.credential_id) AS credential_id, COALESCE(m.use_ssl, t.use_ssl) AS use_ssl,
             CASE WHEN m.id IS NULL THEN t.port WHEN m.use_ssl THEN 5986 ELSE 5985 END AS port,
             t.operating_system AS os, t.os_version, t.distinguished_name, t.is_domain_controller, t.enabled,
             t.winrm_reachable, t.last_logon_at, t.last_seen_at, t.missing_since
      FROM windows_targets t LEFT JOIN manual m ON m.hostname = t.hostname
      WHERE t.site_id = ${f.siteId}
      UNION ALL
      SELECT NULL, m.hostname, TRUE, FALSE, 'manual', m.id, m.use_ssl, CASE WHEN m.use_ssl THEN 5986 ELSE 5985 END,
             NULL, NULL, NULL, FALSE, TRUE, NULL, NULL::timestamp, NULL::timestamp, NULL::timestamp
      FROM manual m
      WHERE NOT EXISTS (SELECT 1 FROM windows_targets t WHERE t.site_id = ${f.siteId} AND t.hostname = m.hostname)
    ), r AS (SELECT *, ${statusCase(f, Prisma.raw("approval"))} AS status FROM base)`;
  const { where, tail } = pageOf(f, false);
  const rows = await db.$queryRaw<ServerRow[]>`
    ${derived} SELECT r.*, count(*) OVER () AS total FROM r ${where} ${tail}`;
  return withTotal(rows, () => db.$queryRaw`${derived} SELECT count(*) AS n FROM r ${where}`);
}

export async function queryWorkstations(db: Db, f: Filters) {
  const derived = Prisma.sql`
    WITH r AS (
      SELECT id, hostname, name, operating_system AS os, os_version, distinguished_name, enabled, last_logon_at,
             last_seen_at, missing_since, agent_status::text AS agent_status, agent_last_seen_at,
             FALSE AS manual, TRUE AS discovered, ${statusCase(f, Prisma.raw("'listed'"))} AS status
      FROM workstations WHERE site_id = ${f.siteId}
    )`;
  const { where, tail } = pageOf(f, true);
  const rows = await db.$queryRaw<WorkstationRow[]>`
    ${derived} SELECT r.*, count(*) OVER () AS total FROM r ${where} ${tail}`;
  return withTotal(rows, () => db.$queryRaw`${derived} SELECT count(*) AS n FROM r ${where}`);
}

/** Servers awaiting a partner admin's approval (still in AD, no manual credential): the "Approve all (n)". */
export async function countAwaitingApproval(db: Db, siteId: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM windows_targets t
    WHERE t.site_id = ${siteId} AND t.approval = 'awaiting_approval' AND t.missing_since IS NULL
      AND NOT EXISTS (SELECT 1 FROM site_credentials m
                      WHERE m.site_id = t.site_id AND m.host IS NOT NULL AND lower(m.host) = t.hostname)`;
  return row?.n ?? 0;
}
