/**
 * The partner's activity log: one set-based query over audit_events, scoped to the partner, joined to the
 * rows that name its actor (user, API token, appliance) and target (credential, provision code, appliance,
 * token, user, site). Names recorded in the audit metadata at the time win over the live row, so a deleted
 * credential or revoked appliance keeps its name. Sorted by time (ties by id) and paged in the database.
 * Partner admins only (the callers check); never a secret: audit rows hold names, never secrets.
 */
import {
  ACTIVITY_GROUPS,
  type ActivityEntry,
  type ActivityFilters,
  type ActivityPage,
  ActivityQuery,
} from "@/server/contracts/activity";
import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { containsPattern } from "@/server/lib/contains-pattern";
import { activitySummary } from "./activity-summary";

type Row = {
  id: bigint;
  at: Date;
  action: string;
  actor_type: ActivityEntry["actor_type"];
  actor_id: string | null;
  actor_name: string | null;
  actor_detail: string | null;
  ip: string | null;
  site_id: string | null;
  site_name: string | null;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  metadata: unknown;
};

/** A YYYY-MM-DD `to` means through the end of that UTC day. */
function bound(value: string | undefined, endOfDay: boolean): Date | null {
  if (!value) return null;
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (endOfDay && value.length === 10) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

function filterSql(partnerId: string, f: ActivityFilters): Prisma.Sql {
  const prefixes = f.group ? ACTIVITY_GROUPS[f.group] : null;
  const from = bound(f.from, false);
  const to = bound(f.to, true);
  return Prisma.sql`ae.partner_id = ${partnerId}
    ${f.actor ? Prisma.sql`AND ae.actor_id = ${f.actor}` : Prisma.empty}
    ${f.action ? Prisma.sql`AND ae.action = ${f.action}` : Prisma.empty}
    ${
      prefixes
        ? Prisma.sql`AND (${Prisma.join(
            prefixes.map((p) => Prisma.sql`starts_with(ae.action, ${p})`),
            " OR ",
          )})`
        : Prisma.empty
    }
    ${from ? Prisma.sql`AND ae.created_at >= ${from}` : Prisma.empty}
    ${to ? Prisma.sql`AND ae.created_at < ${to}` : Prisma.empty}`;
}

/** The named rows of the partner's matching events; every join is bounded to the same partner. */
function activitySql(partnerId: string, f: ActivityFilters, limit: number, offset: number): Prisma.Sql {
  const pattern = f.q ? containsPattern(f.q) : null;
  const direction = Prisma.raw(f.order === "asc" ? "ASC" : "DESC");
  return Prisma.sql`
    SELECT * FROM (
      SELECT ae.id, ae.created_at AS at, ae.action, ae.actor_type::text AS actor_type, ae.actor_id, ae.ip,
        ae.site_id, s.client_name AS site_name, ae.target_type, ae.target_id, ae.metadata,
        CASE ae.actor_type::text
          WHEN 'user' THEN COALESCE(u.name, CASE WHEN ae.action LIKE 'user.sign%' THEN ae.metadata->>'email' END, 'Removed user')
          WHEN 'partner_token' THEN COALESCE(tk.name, 'Deleted API token')
          WHEN 'appliance' THEN ap.hostname
          WHEN 'system' THEN 'System'
        END AS actor_name,
        CASE ae.actor_type::text
          WHEN 'user' THEN COALESCE(u.email, ae.metadata->>'email')
          WHEN 'partner_token' THEN tk.prefix
          WHEN 'anonymous' THEN ae.metadata->>'email'
        END AS actor_detail,
        CASE ae.target_type
          WHEN 'site_credential' THEN COALESCE(ae.metadata->>'credential_name', ae.metadata->>'domain', sc.credential_name)
          WHEN 'provision_code' THEN COALESCE(ae.metadata->>'client_name', pc.client_name)
          WHEN 'appliance' THEN COALESCE(ae.metadata->>'hostname', tap.hostname)
          WHEN 'partner_api_token' THEN COALESCE(ae.metadata->>'name', ttk.name)
          WHEN 'user' THEN COALESCE(ae.metadata->>'email', tu.email)
          WHEN 'site' THEN s.client_name
          WHEN 'dc_certificate' THEN ae.metadata->>'hostname'
          WHEN 'discovered_domain' THEN ae.metadata->>'domain'
          WHEN 'partner' THEN pa.brand_name
        END AS target_name
      FROM audit_events ae
      LEFT JOIN sites s ON s.id = ae.site_id AND s.partner_id = ae.partner_id
      LEFT JOIN users u ON ae.actor_type = 'user' AND u.id = ae.actor_id AND u.partner_id = ae.partner_id
      LEFT JOIN partner_api_tokens tk
        ON ae.actor_type = 'partner_token' AND tk.id = ae.actor_id AND tk.partner_id = ae.partner_id
      LEFT JOIN (appliances ap JOIN sites aps ON aps.id = ap.site_id)
        ON ae.actor_type = 'appliance' AND ap.id = ae.actor_id AND aps.partner_id = ae.partner_id
      LEFT JOIN (site_credentials sc JOIN sites scs ON scs.id = sc.site_id)
        ON ae.target_type = 'site_credential' AND sc.id = ae.target_id AND scs.partner_id = ae.partner_id
      LEFT JOIN provision_codes pc
        ON ae.target_type = 'provision_code' AND pc.id = ae.target_id AND pc.partner_id = ae.partner_id
      LEFT JOIN (appliances tap JOIN sites taps ON taps.id = tap.site_id)
        ON ae.target_type = 'appliance' AND tap.id = ae.target_id AND taps.partner_id = ae.partner_id
      LEFT JOIN partner_api_tokens ttk
        ON ae.target_type = 'partner_api_token' AND ttk.id = ae.target_id AND ttk.partner_id = ae.partner_id
      LEFT JOIN users tu ON ae.target_type = 'user' AND tu.id = ae.target_id AND tu.partner_id = ae.partner_id
      LEFT JOIN partners pa ON ae.target_type = 'partner' AND pa.id = ae.target_id AND pa.id = ae.partner_id
      WHERE ${filterSql(partnerId, f)}
    ) a
    WHERE ${pattern}::text IS NULL
      OR concat_ws(' ', a.actor_name, a.actor_detail, a.target_name, a.site_name, a.ip, a.action) ILIKE ${pattern}
    ORDER BY a.at ${direction}, a.id ${direction}
    LIMIT ${limit} OFFSET ${offset}`;
}

function toEntry(r: Row): ActivityEntry {
  const metadata =
    typeof r.metadata === "object" && r.metadata !== null && !Array.isArray(r.metadata)
      ? (r.metadata as Record<string, unknown>)
      : {};
  return {
    id: r.id.toString(),
    at: r.at.toISOString(),
    action: r.action,
    summary: activitySummary({
      action: r.action,
      actorDetail: r.actor_detail,
      targetName: r.target_name,
      siteName: r.site_name,
      ip: r.ip,
      metadata,
    }),
    actor_type: r.actor_type,
    actor_id: r.actor_id,
    actor_name: r.actor_name,
    actor_detail: r.actor_detail,
    ip: r.ip,
    reason: r.action === "user.sign_in_failed" && typeof metadata.reason === "string" ? metadata.reason : null,
    site_id: r.site_id,
    site_name: r.site_name,
    target_type: r.target_type,
    target_id: r.target_id,
    target_name: r.target_name,
  };
}

export async function listPartnerActivity(db: Db, partnerId: string, query: ActivityQuery = {}): Promise<ActivityPage> {
  const f = ActivityQuery.parse(query);
  const rows = await db.$queryRaw<Row[]>(activitySql(partnerId, f, f.page_size + 1, (f.page - 1) * f.page_size));
  return {
    entries: rows.slice(0, f.page_size).map(toEntry),
    page: f.page,
    page_size: f.page_size,
    has_more: rows.length > f.page_size,
  };
}

/**
 * Every matching entry (bounded by `max`), a batch at a time, for the CSV export: the caller streams each
 * batch out before the next is read.
 */
export async function* eachPartnerActivity(
  db: Db,
  partnerId: string,
  query: ActivityQuery,
  max: number,
  batch = 1000,
): AsyncGenerator<ActivityEntry[]> {
  const f = ActivityQuery.parse({ ...query, page: 1, page_size: 1 });
  for (let offset = 0; offset < max; offset += batch) {
    const take = Math.min(batch, max - offset);
    const rows = await db.$queryRaw<Row[]>(activitySql(partnerId, f, take, offset));
    if (rows.length) yield rows.map(toEntry);
    if (rows.length < take) return;
  }
}
