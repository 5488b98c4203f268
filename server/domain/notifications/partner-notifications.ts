/**
 * What a partner is told (appliance offline / back online, flags an appliance never completed): the
 * dashboard lists them and the header counts the unread ones. Every query is scoped to the partner.
 */
import type { Db } from "@/server/db";

export async function listNotifications(db: Db, partnerId: string, opts: { limit?: number } = {}) {
  const [unread, items] = await Promise.all([
    countUnreadNotifications(db, partnerId),
    db.notification.findMany({
      where: { partnerId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: Math.min(Math.max(opts.limit ?? 20, 1), 100),
      select: { id: true, siteId: true, kind: true, title: true, body: true, readAt: true, createdAt: true },
    }),
  ]);
  return {
    unread,
    items: items.map((n) => ({
      id: n.id,
      site_id: n.siteId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      action_url: actionUrl(n.kind, n.siteId),
      read_at: n.readAt?.toISOString() ?? null,
      created_at: n.createdAt.toISOString(),
    })),
  };
}

export async function countUnreadNotifications(db: Db, partnerId: string): Promise<number> {
  return db.notification.count({ where: { partnerId, readAt: null } });
}

/** Marks the partner's notifications read: the given ids (others' ids are ignored), or all of them. */
export async function markNotificationsRead(db: Db, partnerId: string, ids?: string[]): Promise<{ marked: number }> {
  const res = await db.notification.updateMany({
    where: { partnerId, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { marked: res.count };
}

/** Where a notification's call to action goes in the UI. */
export function actionUrl(kind: string, siteId: string | null): string | null {
  if (!siteId) return null;
  const site = `/sites/${encodeURIComponent(siteId)}`;
  if (kind === "domain_discovered" || kind === "enumeration_failed") return `${site}#domain-credential`;
  if (kind === "dc_certificate_changed") return `${site}#dc-certificates`;
  if (kind === "new_servers_found" || kind === "enumeration_complete") return `${site}#targets`;
  if (kind === "compliance.failing") return `${site}#compliance`;
  return site;
}
