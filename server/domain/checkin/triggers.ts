/**
 * Appliance flags (seed: trigger_enumeration, trigger_immediate_scan). PostgreSQL is the source of
 * truth: a flag is a row, delivered and cleared by one conditional UPDATE, so two concurrent check-ins
 * never both receive it. Redis holds hints (which appliances have pending flags, which await a scan
 * result) so a check-in without flags costs no database query; when Redis is unavailable the check-in
 * asks PostgreSQL instead, and the maintenance worker re-syncs the hints every run.
 */
import type { Db } from "@/server/db";
import type { TriggerKind } from "@/server/generated/prisma/client";
import { redis } from "@/server/redis";

export const PENDING_SET = "triggers:pending";
export const AWAITING_SCAN_SET = "triggers:awaiting-scan";

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
  await redis()
    .sadd(PENDING_SET, applianceId)
    .catch(() => {});
  return { created: !existing };
}

/** Atomically takes every pending flag of this appliance. Returns the kinds delivered. */
export async function deliverTriggers(db: Db, applianceId: string): Promise<Set<TriggerKind>> {
  const rows = await db.$queryRaw<Array<{ kind: TriggerKind }>>`
    UPDATE appliance_triggers SET state = 'delivered', delivered_at = now(), attempts = attempts + 1
    WHERE appliance_id = ${applianceId} AND state = 'pending'
    RETURNING kind::text AS kind`;
  const kinds = new Set(rows.map((r) => r.kind));
  try {
    await redis().srem(PENDING_SET, applianceId);
    // A flag raised between the UPDATE and the SREM must not lose its hint.
    const again = await db.applianceTrigger.count({ where: { applianceId, state: "pending" } });
    if (again > 0) await redis().sadd(PENDING_SET, applianceId);
    if (kinds.has("immediate_scan")) await redis().sadd(AWAITING_SCAN_SET, applianceId);
  } catch {
    // Hints only; the worker re-syncs them.
  }
  return kinds;
}

/** A check-in reporting a finished scan completes the scan flags delivered before it. */
export async function acknowledgeScan(db: Db, applianceId: string, completedAt: Date): Promise<number> {
  const done = await db.applianceTrigger.updateMany({
    where: { applianceId, kind: "immediate_scan", state: "delivered", deliveredAt: { lte: completedAt } },
    data: { state: "completed", completedAt: new Date() },
  });
  const left = await db.applianceTrigger.count({ where: { applianceId, kind: "immediate_scan", state: "delivered" } });
  if (left === 0)
    await redis()
      .srem(AWAITING_SCAN_SET, applianceId)
      .catch(() => {});
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
