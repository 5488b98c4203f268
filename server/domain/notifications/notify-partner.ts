import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";

/**
 * `applianceId` names the appliance an alert is about: the alerts list joins it to the appliance's current
 * hostname. Titles and bodies name appliances by hostname and sites by clinic name, never by internal id.
 */
export type NotificationInput = {
  siteId?: string | null;
  applianceId?: string | null;
  kind: string;
  title: string;
  body: string;
};

/** Notifies a partner (shown in their UI). Scoped: the caller names the partner. */
export async function notifyPartner(
  db: Db | Prisma.TransactionClient,
  partnerId: string,
  n: NotificationInput,
): Promise<void> {
  await db.notification.create({
    data: {
      partnerId,
      siteId: n.siteId ?? null,
      applianceId: n.applianceId ?? null,
      kind: n.kind,
      title: n.title,
      body: n.body,
    },
  });
}

/** An appliance's hostname for an alert's text (its id only if the row is gone). */
export async function applianceHostname(db: Db | Prisma.TransactionClient, applianceId: string): Promise<string> {
  const a = await db.appliance.findUnique({ where: { id: applianceId }, select: { hostname: true } });
  return a?.hostname ?? applianceId;
}

/** Notifies the owners of these appliances that they are back online. */
export async function notifyBackOnline(db: Db, rows: Array<{ applianceId: string; siteId: string }>): Promise<void> {
  const [sites, appliances] = await Promise.all([
    db.site.findMany({
      where: { id: { in: rows.map((r) => r.siteId) } },
      select: { id: true, partnerId: true, clientName: true },
    }),
    db.appliance.findMany({
      where: { id: { in: rows.map((r) => r.applianceId) } },
      select: { id: true, hostname: true },
    }),
  ]);
  const byId = new Map(sites.map((s) => [s.id, s]));
  const hostnames = new Map(appliances.map((a) => [a.id, a.hostname]));
  await db.notification.createMany({
    data: rows.flatMap((r) => {
      const site = byId.get(r.siteId);
      return site
        ? [
            {
              partnerId: site.partnerId,
              siteId: site.id,
              applianceId: r.applianceId,
              kind: "appliance.online",
              title: `Appliance back online at ${site.clientName}`,
              body: `${hostnames.get(r.applianceId) ?? r.applianceId} checked in again.`,
            },
          ]
        : [];
    }),
  });
}
