/**
 * The transactional outbox, processor side. A job made from an outbox row carries only the row id; the
 * row is the truth. `runOutboxJob` locks the row, skips it if it is already completed, runs the handler
 * and completes the row in ONE transaction, so:
 *  - a job that runs twice (a duplicate after Redis came back, a retry) changes nothing twice;
 *  - two copies running at once serialize on the row lock, and the second sees the row completed;
 *  - if the handler or the commit fails, the row stays open and the job (or the relay) tries again.
 * A row that can never succeed (unknown kind, malformed payload) is marked failed and the job fails
 * permanently (UnrecoverableError).
 */
import { type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { JobPayloads, type OutboxKind } from "../queues";

/** The row's id and creation time (ms): a job left in Redis by a database since reset matches no row. */
export const OutboxJobData = z.object({ outboxId: z.string().regex(/^\d+$/), createdMs: z.string().regex(/^\d+$/) });
export type OutboxJobData = z.infer<typeof OutboxJobData>;

export type OutboxHandlers = {
  [K in OutboxKind]: (tx: Prisma.TransactionClient, payload: z.output<(typeof JobPayloads)[K]>) => Promise<unknown>;
};

export type OutboxJobResult = { outboxId: string; skipped?: "completed" | "missing"; result?: unknown };

/** Longest a handler's transaction may take (it may wait for the row lock held by a running copy). */
const TX_TIMEOUT_MS = 60_000;

export async function runOutboxJob(db: Db, job: Job, handlers: OutboxHandlers): Promise<OutboxJobResult> {
  const data = OutboxJobData.safeParse(job.data);
  if (!data.success) throw new UnrecoverableError(`invalid outbox job data for ${job.name}`);
  const id = BigInt(data.data.outboxId);
  const failure: { reason: string | null } = { reason: null };
  const outcome = await db.$transaction(
    async (tx): Promise<OutboxJobResult> => {
      const [row] = await tx.$queryRaw<
        Array<{ kind: string; payload: unknown; completed: boolean; created_ms: bigint }>
      >`
        SELECT kind, payload, completed_at IS NOT NULL AS completed,
               floor(extract(epoch FROM created_at) * 1000)::bigint AS created_ms
        FROM outbox WHERE id = ${id} FOR UPDATE`;
      if (!row || row.created_ms.toString() !== data.data.createdMs) {
        return { outboxId: data.data.outboxId, skipped: "missing" };
      }
      if (row.completed) return { outboxId: data.data.outboxId, skipped: "completed" };
      const kind = row.kind as OutboxKind;
      const handler = handlers[kind] as ((tx: Prisma.TransactionClient, p: unknown) => Promise<unknown>) | undefined;
      const schema = JobPayloads[kind] as z.ZodType | undefined;
      const payload = schema?.safeParse(row.payload);
      if (!handler || !payload?.success) {
        failure.reason = handler ? `invalid payload for ${row.kind}` : `unknown outbox kind ${row.kind}`;
        await tx.$executeRaw`UPDATE outbox SET failed_at = now(), last_error = ${failure.reason} WHERE id = ${id}`;
        return { outboxId: data.data.outboxId };
      }
      const result = await handler(tx, payload.data);
      await tx.$executeRaw`UPDATE outbox SET completed_at = now(), last_error = NULL WHERE id = ${id}`;
      return { outboxId: data.data.outboxId, result };
    },
    { timeout: TX_TIMEOUT_MS, maxWait: 10_000 },
  );
  if (failure.reason) throw new UnrecoverableError(failure.reason);
  return outcome;
}

/** Keeps the latest failure on the row, for whoever looks at a row that is not completing. */
export async function recordOutboxFailure(db: Db, job: Job | undefined, err: Error): Promise<void> {
  const data = OutboxJobData.safeParse(job?.data);
  if (!data.success) return;
  const message = err.message.slice(0, 500);
  await db.$executeRaw`
    UPDATE outbox SET last_error = ${message} WHERE id = ${BigInt(data.data.outboxId)} AND completed_at IS NULL`;
}

/** Completed rows are kept a while for inspection, then deleted (run by the maintenance job). */
export async function pruneOutbox(db: Db, keepDays = 7): Promise<number> {
  return db.$executeRaw`
    DELETE FROM outbox WHERE completed_at < now() - make_interval(days => ${keepDays})`;
}
