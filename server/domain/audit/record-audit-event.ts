import type { Db } from "@/server/db";
import type { ActorType, Prisma } from "@/server/generated/prisma/client";

export type AuditInput = {
  action: string;
  actorType: ActorType;
  actorId?: string | null;
  partnerId?: string | null;
  siteId?: string | null;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  /** Never put a secret here: audit rows are shown to partners. */
  metadata?: Prisma.InputJsonValue;
};

export async function recordAuditEvent(db: Db | Prisma.TransactionClient, event: AuditInput): Promise<void> {
  await db.auditEvent.create({ data: event });
}
