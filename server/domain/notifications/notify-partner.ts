import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";

export type NotificationInput = { siteId?: string | null; kind: string; title: string; body: string };

/** Notifies a partner (shown in their UI). Scoped: the caller names the partner. */
export async function notifyPartner(
  db: Db | Prisma.TransactionClient,
  partnerId: string,
  n: NotificationInput,
): Promise<void> {
  await db.notification.create({
    data: { partnerId, siteId: n.siteId ?? null, kind: n.kind, title: n.title, body: n.body },
  });
}

/** Notifies the owners of these appliances that they are back online. */
export async function notifyBackOnline(db: Db, rows: Array<{ applianceId: string; siteId: string }>): Promise<void> {
  const sites = await db.site.findMany({
    where: { id: { in: rows.map((r) => r.siteId) } },
    select: { id: true, partnerId: true, clientName: true },
  });
  const byId = new Map(sites.map((s) => [s.id, s]));
  await db.notification.createMany({
    data: rows.flatMap((r) => {
      const site = byId.get(r.siteId);
      return site
        ? [
            {
              partnerId: site.partnerId,
              siteId: site.id,
              kind: "appliance.online",
              title: `Appliance back online at ${site.clientName}`,
              body: `${r.applianceId} checked in again.`,
            },
          ]
        : [];
    }),
  });
}
