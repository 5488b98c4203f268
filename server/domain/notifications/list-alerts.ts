/**
 * The partner's alerts (notifications) as a list: searched, filtered (type, site, read state), sorted by
 * time and paged in one set-based query that also counts every match. Sites and appliances are named by
 * their current clinic name and hostname (joined within the same partner), never by internal id.
 */
import {
  type AlertFilters,
  MarkNotificationsReadBody,
  type NotificationList,
  NotificationsQuery,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { containsPattern } from "@/server/lib/contains-pattern";
import { actionUrl } from "./partner-notifications";

type Row = {
  total: bigint;
  unread: bigint;
  id: string | null;
  kind: string;
  site_id: string | null;
  site_name: string | null;
  appliance_id: string | null;
  hostname: string | null;
  title: string;
  body: string;
  read_at: Date | null;
  created_at: Date;
};

/**
 * The filters as conditions on `notifications n`, always bounded to the partner. The search matches the
 * message or detail, or the current name of the alert's site or appliance: those sites and appliances (the
 * partner's own) are found first, each through a trigram index, and their alerts by site_id/appliance_id, so
 * a search reads indexes instead of joining and matching every alert (50,000 alerts answer in milliseconds).
 */
function whereSql(partnerId: string, f: AlertFilters): Prisma.Sql {
  const pattern = f.q ? containsPattern(f.q) : null;
  return Prisma.sql`n.partner_id = ${partnerId}
      ${f.type ? Prisma.sql`AND replace(n.kind, '.', '_') = ${f.type.replaceAll(".", "_")}` : Prisma.empty}
      ${f.site ? Prisma.sql`AND n.site_id = ${f.site}` : Prisma.empty}
      ${f.read === "read" ? Prisma.sql`AND n.read_at IS NOT NULL` : Prisma.empty}
      ${f.read === "unread" ? Prisma.sql`AND n.read_at IS NULL` : Prisma.empty}
      ${
        pattern
          ? Prisma.sql`AND (n.title ILIKE ${pattern} OR n.body ILIKE ${pattern}
              OR n.site_id = ANY (ARRAY(SELECT s.id FROM sites s WHERE s.partner_id = ${partnerId} AND s.client_name ILIKE ${pattern}))
              OR n.appliance_id = ANY (ARRAY(
                SELECT a.id FROM appliances a JOIN sites s ON s.id = a.site_id
                WHERE s.partner_id = ${partnerId} AND a.hostname ILIKE ${pattern})))`
          : Prisma.empty
      }`;
}

/**
 * GET /api/partners/me/notifications (and notifications.page): without parameters, the 50 newest. One
 * statement: the counts, and the page, named after paging, so only the page's rows are joined to their site
 * and appliance. Without a search the matches are not materialised: the page reads the (partner, time) index
 * and stops after it. With one they are (found through the search's indexes, then counted and sorted), since
 * walking the time index and testing each alert for a rare text would read all of them before giving up.
 */
export async function listAlerts(db: Db, partnerId: string, raw: NotificationsQuery = {}): Promise<NotificationList> {
  const f = NotificationsQuery.parse(raw);
  const pageSize = f.page_size ?? f.limit ?? 50;
  const dir = Prisma.raw(f.order === "asc" ? "ASC" : "DESC");
  const rows = await db.$queryRaw<Row[]>`
    WITH m AS ${Prisma.raw(f.q ? "MATERIALIZED" : "NOT MATERIALIZED")} (
      SELECT n.id, n.kind, n.site_id, n.appliance_id, n.title, n.body, n.read_at, n.created_at, n.partner_id
      FROM notifications n WHERE ${whereSql(partnerId, f)}
    )
    SELECT t.total, u.unread, p.* FROM (SELECT count(*) AS total FROM m) t
    CROSS JOIN (SELECT count(*) AS unread FROM notifications WHERE partner_id = ${partnerId} AND read_at IS NULL) u
    LEFT JOIN LATERAL (
      SELECT x.id, x.kind, x.site_id, s.client_name AS site_name, x.appliance_id, a.hostname, x.title, x.body,
             x.read_at, x.created_at
      FROM (SELECT * FROM m ORDER BY m.created_at ${dir}, m.id ${dir} LIMIT ${pageSize} OFFSET ${(f.page - 1) * pageSize}) x
      LEFT JOIN sites s ON s.id = x.site_id AND s.partner_id = x.partner_id
      LEFT JOIN (appliances a JOIN sites aps ON aps.id = a.site_id)
        ON a.id = x.appliance_id AND aps.partner_id = x.partner_id
      ORDER BY x.created_at ${dir}, x.id ${dir}
    ) p ON true`;
  return {
    notifications: rows.flatMap((n) =>
      n.id === null
        ? []
        : [
            {
              id: n.id,
              type: n.kind.replaceAll(".", "_"),
              site_id: n.site_id,
              site_name: n.site_name,
              appliance_id: n.appliance_id,
              hostname: n.hostname,
              message: n.title,
              detail: n.body,
              action_url: actionUrl(n.kind, n.site_id),
              created_at: n.created_at.toISOString(),
              read: n.read_at !== null,
            },
          ],
    ),
    page: f.page,
    page_size: pageSize,
    total: Number(rows[0]?.total ?? 0),
    unread: Number(rows[0]?.unread ?? 0),
  };
}

/** Marks the partner's alerts read: the given ids (another partner's are ignored), or all matching a filter. */
export async function markAlertsRead(
  db: Db,
  partnerId: string,
  raw: MarkNotificationsReadBody,
): Promise<{ marked: number }> {
  const body = MarkNotificationsReadBody.parse(raw);
  const marked = body.ids
    ? await db.$executeRaw`
        UPDATE notifications SET read_at = now()
        WHERE partner_id = ${partnerId} AND read_at IS NULL AND id IN (${Prisma.join(body.ids)})`
    : await db.$executeRaw`
        UPDATE notifications SET read_at = now()
        WHERE partner_id = ${partnerId} AND read_at IS NULL
          AND id IN (SELECT n.id FROM notifications n WHERE ${whereSql(partnerId, body.all_matching ?? {})})`;
  return { marked };
}
