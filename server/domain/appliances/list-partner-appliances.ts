/**
 * Every appliance across the partner's sites: one set-based query (scoped by the site's partner) that
 * searches, filters, sorts and pages in the database and counts every match in the same statement.
 * The search reads indexes: trigram (pg_trgm) ones for the hostname and id, and the partner's sites whose
 * clinic name or id matches are found first and their appliances taken by site, so every condition is on
 * `appliances` and PostgreSQL can OR the index scans instead of matching 10,000 rows one by one.
 */
import { type ApplianceFilters, type AppliancePage, AppliancesQuery } from "@/server/contracts/lists";
import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { containsPattern } from "@/server/lib/contains-pattern";

type Row = {
  total: bigint;
  id: string | null;
  hostname: string;
  site_id: string;
  site_name: string;
  status: AppliancePage["appliances"][number]["status"];
  last_checkin_at: Date | null;
  agent_version: string | null;
  revoked_at: Date | null;
};

const SORT_SQL: Record<ApplianceFilters["sort"], string> = {
  hostname: "lower(m.hostname)",
  site: "lower(m.site_name)",
  status: "m.status",
  last_checkin: "m.last_checkin_at",
  version: "m.agent_version",
};

export async function listPartnerAppliances(
  db: Db,
  partnerId: string,
  raw: AppliancesQuery = {},
): Promise<AppliancePage> {
  const f = AppliancesQuery.parse(raw);
  const pattern = f.q ? containsPattern(f.q) : null;
  const dir = f.order === "asc" ? "ASC" : "DESC";
  // Appliances that never checked in sort after the others either way.
  const order = Prisma.raw(
    `${SORT_SQL[f.sort]} ${dir}${f.sort === "last_checkin" || f.sort === "version" ? " NULLS LAST" : ""}, m.id ${dir}`,
  );
  const offset = (f.page - 1) * f.page_size;
  const rows = await db.$queryRaw<Row[]>`
    WITH m AS (
      SELECT a.id, a.hostname, a.site_id, s.client_name AS site_name, a.status::text AS status, a.last_checkin_at,
             a.agent_version, a.revoked_at
      FROM appliances a JOIN sites s ON s.id = a.site_id
      WHERE s.partner_id = ${partnerId}
        ${
          // A revoked appliance is out of service: under no state, as the dashboard's cards count them, so a
          // card's number and its list agree. The list without a status filter still shows it, marked revoked.
          f.status ? Prisma.sql`AND a.status = ${f.status}::"ApplianceStatus" AND a.revoked_at IS NULL` : Prisma.empty
        }
        ${f.site ? Prisma.sql`AND a.site_id = ${f.site}` : Prisma.empty}
        ${
          pattern
            ? Prisma.sql`AND (a.hostname ILIKE ${pattern} OR a.id ILIKE ${pattern}
                 OR a.site_id = ANY (ARRAY(SELECT ms.id FROM sites ms WHERE ms.partner_id = ${partnerId}
                                           AND (ms.client_name ILIKE ${pattern} OR ms.id ILIKE ${pattern}))))`
            : Prisma.empty
        }
    )
    SELECT t.total, p.* FROM (SELECT count(*) AS total FROM m) t
    LEFT JOIN LATERAL (SELECT * FROM m ORDER BY ${order} LIMIT ${f.page_size} OFFSET ${offset}) p ON true`;
  return {
    appliances: rows.flatMap((r) =>
      r.id === null
        ? []
        : [
            {
              id: r.id,
              hostname: r.hostname,
              site_id: r.site_id,
              site_name: r.site_name,
              status: r.status,
              last_checkin_at: r.last_checkin_at?.toISOString() ?? null,
              agent_version: r.agent_version,
              revoked_at: r.revoked_at?.toISOString() ?? null,
            },
          ],
    ),
    page: f.page,
    page_size: f.page_size,
    total: Number(rows[0]?.total ?? 0),
  };
}
