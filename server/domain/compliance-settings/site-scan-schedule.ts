/**
 * How often a site's appliances scan on their own. The appliance learns the interval at its next
 * check-in; Central Command raises no flag for a scheduled scan (only "Scan now", enumeration and
 * credential changes do).
 */
import type { SiteScanSchedule } from "@/server/contracts";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";

export async function getSiteScanSchedule(db: Db, partnerId: string, siteId: string): Promise<SiteScanSchedule> {
  const site = await db.site.findFirst({ where: { id: siteId, partnerId }, select: { scanIntervalMinutes: true } });
  if (!site) throw notFound(`Site "${siteId}" not found.`);
  return { interval_minutes: site.scanIntervalMinutes };
}

export async function setSiteScanSchedule(
  db: Db,
  partnerId: string,
  siteId: string,
  schedule: SiteScanSchedule,
  actor: Actor,
): Promise<SiteScanSchedule> {
  return db.$transaction(async (tx) => {
    const site = await tx.site.findFirst({ where: { id: siteId, partnerId }, select: { scanIntervalMinutes: true } });
    if (!site) throw notFound(`Site "${siteId}" not found.`);
    await tx.site.update({ where: { id: siteId }, data: { scanIntervalMinutes: schedule.interval_minutes } });
    await recordAuditEvent(tx, {
      ...actor,
      action: "scan_schedule.updated",
      partnerId,
      siteId,
      targetType: "site",
      targetId: siteId,
      metadata: { before_minutes: site.scanIntervalMinutes, after_minutes: schedule.interval_minutes },
    });
    return schedule;
  });
}
