/**
 * Raises an appliance flag for every appliance of a site that can still receive one (not revoked). System
 * side: the site id comes from an outbox row the service layer wrote, never from a client. Idempotent: a flag
 * already pending is reused (requestTrigger), so running it twice raises nothing twice.
 */
import type { Db } from "@/server/db";
import type { Prisma, TriggerKind } from "@/server/generated/prisma/client";
import { requestTrigger } from "../checkin/triggers";

export async function raiseSiteFlag(
  db: Db | Prisma.TransactionClient,
  siteId: string,
  kind: TriggerKind,
  reason: string,
): Promise<{ appliances: number; raised: number }> {
  const appliances = await db.appliance.findMany({ where: { siteId, revokedAt: null }, select: { id: true } });
  let raised = 0;
  for (const a of appliances) if ((await requestTrigger(db, a.id, kind, reason)).created) raised++;
  return { appliances: appliances.length, raised };
}
