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

/** The partner's notifications matching the filters, named: a subquery every caller bounds to the partner. */
function matchingSql(partnerId: string, f: AlertFilters): Prisma.Sql {
  const pattern = f.q ? containsPattern(f.q) : null;
  return Prisma.sql`
    SELECT n.id, n.kind, n.site_id, s.client_name AS site_name, n.appliance_id, a.hostname, n.title, n.body,
           n.read_at, n.created_at
    FROM notifications n
    LEFT JOIN sites s ON s.id = n.site_id AND s.partner_id = n.partner_id
    LEFT JOIN (appliances a JOIN sites aps ON aps.id = a.site_id)
      ON a.id = n.appliance_id AND aps.partner_id = n.partner_id
    WHERE n.partner_id = ${partnerId}
      ${f.type ? Prisma.sql`AND replace(n.kind, '.', '_') = ${f.type.replaceAll(".", "_")}` : Prisma.empty}
      ${f.site ? Prisma.sql`AND n.site_id = ${f.site}` : Prisma.empty}
      ${f.read === "read" ? Prisma.sql`AND n.read_at IS NOT NULL` : Prisma.empty}
      ${f.read === "unread" ? Prisma.sql`AND n.read_at IS NULL` : Prisma.empty}
      ${
        pattern
          ? Prisma.sql`AND concat_ws(' ', n.title, n.body, s.client_name, a.hostname) ILIKE ${pattern}`
          : Prisma.empty
      }`;
}

/** GET /api/partners/me/notifications (and notifications.page): without parameters, the 50 newest. */
export async function listAlerts(db: Db, partnerId: string, raw: NotificationsQuery = {}): Promise<NotificationList> {
  const f = NotificationsQuery.parse(raw);
  const pageSize = f.page_size ?? f.limit ?? 50;
  const dir = Prisma.raw(f.order === "asc" ? "ASC" : "DESC");
  const rows = await db.$queryRaw<Row[]>`
    WITH m AS (${matchingSql(partnerId, f)})
    SELECT t.total, u.unread, p.* FROM (SELECT count(*) AS total FROM m) t
    CROSS JOIN (SELECT count(*) AS unread FROM notifications WHERE partner_id = ${partnerId} AND read_at IS NULL) u
    LEFT JOIN LATERAL (
      SELECT * FROM m ORDER BY m.created_at ${dir}, m.id ${dir} LIMIT ${pageSize} OFFSET ${(f.page - 1) * pageSize}
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
          AND id IN (SELECT id FROM (${matchingSql(partnerId, body.all_matching ?? {})}) x)`;
  return { marked };
}
