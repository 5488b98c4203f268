/**
 * The transactional outbox, relay side (runs in the worker process; several relays may run at once).
 * Every `intervalMs` it reads open outbox rows and makes sure each has a BullMQ job:
 *  - a row never enqueued gets its job `outbox-<id>-<created ms>` (deterministic: two relays, or a relay that dies
 *    between add and mark, still make one job);
 *  - a row enqueued more than `staleAfterMs` ago and still open is checked against Redis: a job that is
 *    gone (Redis restarted empty) is added again, a job that exhausted its retries is retried (up to
 *    `maxAttempts` times, then the row is marked failed), a job still waiting or running is left alone;
 *  - when its Redis connection becomes ready (at start, and every time Redis comes back) every open row
 *    is checked that way at once, and the `onRedisReady` hooks run (re-registering job schedulers), since
 *    a Redis that comes back may have lost everything (the hooks also run every minute, for a Redis emptied
 *    without dropping the connection).
 * While Redis is down a cycle fails fast and is retried on the next tick; rows wait in PostgreSQL.
 */
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Db } from "@/server/db";
import { getEnv } from "@/server/env";
import { logger } from "@/server/logger";
import { OUTBOX_JOBS, type OutboxKind, type QueueName } from "../queues";
import { outboxJobId } from "./add-outbox";
import type { OutboxJobData } from "./run-outbox-job";

export type OutboxRelayOptions = {
  redisUrl?: string;
  prefix?: string;
  intervalMs?: number;
  staleAfterMs?: number;
  maxAttempts?: number;
  /** Run at start and whenever Redis comes back (after the outbox is re-synced). Must be idempotent. */
  onRedisReady?: Array<(queue: (name: QueueName) => Queue) => Promise<unknown>>;
};

export type OutboxRelay = {
  /** One cycle now (tests; the timer calls it too). Resolves with how many jobs it created. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
};

type OpenRow = {
  id: bigint;
  kind: string;
  job_id: string | null;
  created_ms: bigint;
  enqueued: boolean;
  attempts: number;
};

export const OUTBOX_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const;

const BATCH = 500;
const HOOKS_EVERY_MS = 60_000;

export function startOutboxRelay(db: Db, opts: OutboxRelayOptions = {}): OutboxRelay {
  const log = logger().child({ component: "outbox-relay" });
  const intervalMs = opts.intervalMs ?? 1_000;
  const staleAfterS = (opts.staleAfterMs ?? 30_000) / 1000;
  const maxAttempts = opts.maxAttempts ?? 20;
  // Fails fast while Redis is down (no offline queue), reconnects on its own forever.
  const connection = new Redis(opts.redisUrl ?? getEnv().REDIS_URL, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
  });
  connection.on("error", () => {}); // reported by the failing cycle
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix: opts.prefix ?? getEnv().QUEUE_PREFIX });
      q.on("error", () => {});
      queues.set(name, q);
    }
    return q;
  };

  let resync = false;
  let readyHooksDue = false;
  let hooksRanAt = 0;
  let failing = false;
  let stopped = false;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | undefined;

  connection.on("ready", () => {
    resync = true;
    readyHooksDue = true;
    void runOnce();
  });

  async function mark(id: bigint, created: boolean): Promise<void> {
    await db.$executeRaw`
      UPDATE outbox SET enqueued_at = now(), attempts = attempts + ${created ? 1 : 0} WHERE id = ${id}`;
  }

  /** Makes sure the row has a live job. Returns true when it created (or retried) one. */
  async function ensureJob(row: OpenRow): Promise<boolean> {
    const name = OUTBOX_JOBS[row.kind as OutboxKind] as QueueName | undefined;
    if (!name) {
      await db.$executeRaw`
        UPDATE outbox SET failed_at = now(), last_error = ${`unknown outbox kind ${row.kind}`} WHERE id = ${row.id}`;
      return false;
    }
    const q = queue(name);
    const jobId = row.job_id ?? outboxJobId(row.id, row.created_ms);
    const data: OutboxJobData = { outboxId: row.id.toString(), createdMs: row.created_ms.toString() };
    if (!row.enqueued) {
      await q.add(row.kind, data, { ...OUTBOX_JOB_OPTIONS, jobId });
      await mark(row.id, true);
      return true;
    }
    const state = await q.getJobState(jobId);
    if (state === "unknown") {
      // Lost with Redis (or removed): the row is the truth, make the job again.
      await q.add(row.kind, data, { ...OUTBOX_JOB_OPTIONS, jobId });
    } else if (state === "failed") {
      if (row.attempts >= maxAttempts) {
        await db.$executeRaw`
          UPDATE outbox SET failed_at = now() WHERE id = ${row.id} AND completed_at IS NULL`;
        log.error({ outboxId: row.id.toString(), kind: row.kind }, "outbox row failed too often; giving up");
        return false;
      }
      await (await q.getJob(jobId))?.retry("failed");
    } else if (state === "completed") {
      // Finished in BullMQ but the row is open (its transaction did not complete it): run it again.
      await q.remove(jobId);
      await q.add(row.kind, data, { ...OUTBOX_JOB_OPTIONS, jobId });
    } else {
      await mark(row.id, false); // waiting, delayed or running: look again later
      return false;
    }
    await mark(row.id, true);
    return true;
  }

  async function cycle(): Promise<number> {
    const full = resync;
    resync = false;
    let created = 0;
    let after = 0n;
    try {
      for (;;) {
        const rows = await db.$queryRaw<OpenRow[]>`
          SELECT id, kind, job_id, floor(extract(epoch FROM created_at) * 1000)::bigint AS created_ms,
                 enqueued_at IS NOT NULL AS enqueued, attempts
          FROM outbox
          WHERE completed_at IS NULL AND failed_at IS NULL AND id > ${after}
            AND (${full} OR enqueued_at IS NULL OR enqueued_at < now() - make_interval(secs => ${staleAfterS}))
          ORDER BY id LIMIT ${BATCH}`;
        for (const row of rows) if (await ensureJob(row)) created++;
        const last = rows.at(-1);
        if (rows.length < BATCH || !last) break;
        after = last.id;
      }
      // Also every HOOKS_EVERY_MS: a Redis emptied without dropping the connection (FLUSHALL, a failover)
      // gets its schedules back too.
      if (readyHooksDue || Date.now() - hooksRanAt > HOOKS_EVERY_MS) {
        for (const hook of opts.onRedisReady ?? []) await hook(queue);
        readyHooksDue = false;
        hooksRanAt = Date.now();
      }
      if (failing) log.info("outbox relay is enqueuing again");
      failing = false;
      if (created) log.debug({ created }, "outbox rows enqueued");
    } catch (err) {
      // Redis (or PostgreSQL) is unavailable: everything stays in the outbox; try the whole pass again.
      if (full) resync = true;
      if (!failing) log.warn({ err: (err as Error).message }, "outbox relay cannot enqueue; will retry");
      failing = true;
    }
    return created;
  }

  function runOnce(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    // One cycle at a time: a call during a cycle joins it; a resync asked for meanwhile runs on the next tick.
    running ??= cycle().finally(() => {
      running = null;
    });
    return running;
  }

  const tick = () => {
    timer = setTimeout(() => {
      void runOnce().finally(() => {
        if (!stopped) tick();
      });
    }, intervalMs);
  };
  tick();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
      for (const q of queues.values()) await q.close().catch(() => {});
      connection.disconnect();
    },
  };
}
