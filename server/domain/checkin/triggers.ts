/**
 * Appliance flags (seed: trigger_enumeration, trigger_immediate_scan). A flag is a row in PostgreSQL,
 * delivered and cleared by one conditional UPDATE, so two concurrent check-ins never both receive it.
 * The check-in's context query says whether any are pending, so a check-in without flags writes nothing.
 */
import type { Db } from "@/server/db";
import type { TriggerKind } from "@/server/generated/prisma/client";

/** Raises a flag for the appliance's next check-in; a flag of the same kind already pending is reused. */
export async function requestTrigger(
  db: Db,
  applianceId: string,
  kind: TriggerKind,
  reason: string,
): Promise<{ created: boolean }> {
  const existing = await db.applianceTrigger.findFirst({
    where: { applianceId, kind, state: "pending" },
    select: { id: true },
  });
  if (!existing) await db.applianceTrigger.create({ data: { applianceId, kind, reason } });
  return { created: !existing };
}

/** Atomically takes every pending flag of this appliance. Returns the kinds delivered. */
export async function deliverTriggers(db: Db, applianceId: string): Promise<Set<TriggerKind>> {
  const rows = await db.$queryRaw<Array<{ kind: TriggerKind }>>`
    UPDATE appliance_triggers SET state = 'delivered', delivered_at = now(), attempts = attempts + 1
    WHERE appliance_id = ${applianceId} AND state = 'pending'
    RETURNING kind::text AS kind`;
  return new Set(rows.map((r) => r.kind));
}

/** A check-in reporting a finished scan completes the scan flags delivered before it. */
export async function acknowledgeScan(db: Db, applianceId: string, completedAt: Date): Promise<number> {
  const done = await db.applianceTrigger.updateMany({
    where: { applianceId, kind: "immediate_scan", state: "delivered", deliveredAt: { lte: completedAt } },
    data: { state: "completed", completedAt: new Date() },
  });
  return done.count;
}

/** Enumeration results arriving complete the delivered enumeration flags (called by that endpoint). */
export async function completeEnumerationTriggers(db: Db, applianceId: string): Promise<number> {
  const done = await db.applianceTrigger.updateMany({
    where: { applianceId, kind: "enumeration", state: "delivered" },
    data: { state: "completed", completedAt: new Date() },
  });
  return done.count;
}
