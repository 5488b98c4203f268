/**
 * The transactional outbox, writer side. A state change that needs work from the workers writes an
 * outbox row IN ITS OWN TRANSACTION:
 *
 *   await db.$transaction(async (tx) => {
 *     await tx.siteCredential.create(…);
 *     await recordAuditEvent(tx, …);
 *     await addOutbox(tx, "credentials.changed", { siteId });
 *   });
 *
 * So the change and its work commit together or not at all, and nothing on the request path touches
 * Redis. The relay (relay.ts, in the worker process) turns the row into a BullMQ job; the job's processor
 * completes the row (run-outbox-job.ts). Payloads carry ids only, never secrets.
 */
import type { z } from "zod";
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { JobPayloads, type OutboxKind } from "../queues";

export type OutboxPayload<K extends OutboxKind> = z.input<(typeof JobPayloads)[K]>;

/**
 * BullMQ job id of an outbox row: deterministic, so enqueuing a row twice makes one job (no ':' allowed).
 * It includes the row's creation time (ms) as well as its id, so a database that was reset (ids start
 * again at 1) never meets old finished jobs of the same id in a Redis that kept them.
 */
export function outboxJobId(id: bigint | string, createdMs: bigint | number): string {
  return `outbox-${id}-${createdMs}`;
}

/**
 * Adds work for the workers to the caller's transaction. Returns the row id. `opts.jobId` names the BullMQ
 * job when the work has a natural identity (an enumeration run); it must be unique for good (no ':').
 */
export async function addOutbox<K extends OutboxKind>(
  tx: Prisma.TransactionClient | Db,
  kind: K,
  payload: OutboxPayload<K>,
  opts: { jobId?: string } = {},
): Promise<bigint> {
  const data = JobPayloads[kind].parse(payload) as Prisma.InputJsonValue;
  if (opts.jobId?.includes(":")) throw new Error("BullMQ job ids may not contain ':'");
  const row = await tx.outboxEntry.create({
    data: { kind, payload: data, jobId: opts.jobId ?? null },
    select: { id: true },
  });
  return row.id;
}
