/**
 * Appliance flags (seed: trigger_enumeration, trigger_immediate_scan). A flag is a row in PostgreSQL,
 * delivered and cleared by one conditional UPDATE, so two concurrent check-ins never both receive it.
 * The check-in's context query says whether any are pending, so a check-in without flags writes nothing.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import type { Prisma, TriggerKind } from "@/server/generated/prisma/client";

/**
 * Raises a flag for the appliance's next check-in; a flag of the same kind already pending is reused.
 * At most one pending flag per appliance and kind is a rule of the schema (partial unique index
 * appliance_triggers_one_pending_idx), so concurrent requests make exactly one row. Idempotent.
 */
export async function requestTrigger(
  db: Db | Prisma.TransactionClient,
  applianceId: string,
  kind: TriggerKind,
  reason: string,
): Promise<{ created: boolean }> {
  const inserted = await db.$executeRaw`
    INSERT INTO appliance_triggers (id, appliance_id, kind, reason)
    VALUES (${randomUUID()}, ${applianceId}, ${kind}::"TriggerKind", ${reason})
    ON CONFLICT (appliance_id, kind) WHERE state = 'pending' DO NOTHING`;
  return { created: inserted === 1 };
}

/** Atomically takes every pending flag of this appliance. Returns the kinds delivered. */
export async function deliverTriggers(db: Db, applianceId: string): Promise<Set<TriggerKind>> {
  const rows = await db.$queryRaw<Array<{ kind: TriggerKind }>>`
    UPDATE appliance_triggers SET state = 'delivered', delivered_at = now(), attempts = attempts + 1
    WHERE appliance_id = ${applianceId} AND state = 'pending'
    RETURNING kind::text AS kind`;
  return new Set(rows.map((r) => r.kind));
}

/** A finished scan (reported by a check-in or a scan-results batch) completes the scan flags delivered before it. */
export async function acknowledgeScan(
  db: Db | Prisma.TransactionClient,
  applianceId: string,
  completedAt: Date,
): Promise<number> {
  const done = await db.applianceTrigger.updateMany({
    where: { applianceId, kind: "immediate_scan", state: "delivered", deliveredAt: { lte: completedAt } },
    data: { state: "completed", completedAt: new Date() },
  });
  return done.count;
}

/** Enumeration results arriving complete the delivered enumeration flags (called by that endpoint). */
export async function completeEnumerationTriggers(
  db: Db | Prisma.TransactionClient,
  applianceId: string,
  state: "completed" | "failed" = "completed",
): Promise<number> {
  const done = await db.applianceTrigger.updateMany({
    where: { applianceId, kind: "enumeration", state: "delivered" },
    data: { state, completedAt: new Date() },
  });
  return done.count;
}
