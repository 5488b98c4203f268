/**
 * The worker process: one BullMQ Worker per queue, and the outbox relay that feeds them from PostgreSQL.
 * Runs beside the web server, never inside it.
 * On SIGTERM/SIGINT it stops taking jobs and waits up to WORKER_DRAIN_TIMEOUT_MS for running ones; then it
 * exits anyway (a job cut short is not lost: its outbox row is still open, and BullMQ moves a job whose
 * lock expired back to the queue).
 */
import { type Queue, Worker } from "bullmq";
import { db, disconnectDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { startOutboxRelay } from "@/server/jobs/outbox/relay";
import { recordOutboxFailure } from "@/server/jobs/outbox/run-outbox-job";
import { closeQueues, QUEUES, type QueueName } from "@/server/jobs/queues";
import { logger } from "@/server/logger";
import { createRedis } from "@/server/redis";
import { processors } from "./processors";

const log = logger().child({ component: "worker" });
const env = getEnv();

/**
 * While Redis is down every worker reports connection errors many times a second. Logged: the first error of
 * an episode, then at most one line a minute saying how many followed; 30 s without an error ends the episode.
 * (The outbox relay says when it enqueues again.)
 */
function quietRepeats(queue: string): (err: Error) => void {
  let lastErrorAt = 0;
  let lastLoggedAt = 0;
  let suppressed = 0;
  return (err) => {
    const now = Date.now();
    const newEpisode = now - lastErrorAt > 30_000;
    lastErrorAt = now;
    if (newEpisode) {
      suppressed = 0;
      lastLoggedAt = now;
      log.error({ queue, err: err.message }, "worker error");
    } else if (now - lastLoggedAt >= 60_000) {
      log.error({ queue, err: err.message, repeats: suppressed + 1 }, "worker errors continue");
      lastLoggedAt = now;
      suppressed = 0;
    } else suppressed++;
  };
}

const workers = Object.values(QUEUES).map((name) => {
  const worker = new Worker(name, processors[name], {
    connection: createRedis("worker"),
    prefix: env.QUEUE_PREFIX,
    concurrency: 4,
  });
  worker.on("failed", (job, err) => {
    log.warn({ queue: name, job: job?.name, jobId: job?.id, err: err.message }, "job failed");
    void recordOutboxFailure(db(), job, err).catch(() => {});
  });
  worker.on("error", quietRepeats(name));
  return worker;
});

/**
 * Schedules live in Redis, which keeps nothing on disk here: the relay runs this at start, every time
 * Redis comes back, and every minute. One schedule however many workers run (upsert is idempotent).
 */
async function registerSchedules(queue: (name: QueueName) => Queue): Promise<void> {
  await queue(QUEUES.maintenance).upsertJobScheduler(
    "maintenance-every-30s",
    { every: 30_000 },
    { name: "maintenance.run", data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
  log.debug("job schedules registered");
}

const relay = startOutboxRelay(db(), { onRedisReady: [registerSchedules] });

log.info({ queues: Object.values(QUEUES) }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, drainMs: env.WORKER_DRAIN_TIMEOUT_MS }, "worker stopping");
  await relay.stop().catch((err: Error) => log.warn({ err: err.message }, "outbox relay stopped with an error"));
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    // A worker whose Redis connection is down or still reconnecting can reject its close: that is no reason
    // to crash on the way out (an unhandled rejection would exit 1), there is nothing running to wait for.
    Promise.all(
      workers.map((w) =>
        w.close().catch((err: Error) => log.warn({ queue: w.name, err: err.message }, "worker closed with an error")),
      ),
    ).then(() => true),
    new Promise<false>((r) => {
      timer = setTimeout(() => r(false), env.WORKER_DRAIN_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!drained) {
    // BullMQ's close cannot be turned into a forced one once it has started (a second close returns the
    // first), so exit: the cut job's transaction dies with its connection (rolled back), its outbox row stays
    // open, and its BullMQ lock expires, so a worker runs it again.
    log.warn("running jobs did not finish in time; exiting anyway (they will run again)");
    process.exit(1);
  }
  await closeQueues().catch((err: Error) => log.warn({ err: err.message }, "queues closed with an error"));
  await disconnectDb().catch(() => {});
  log.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
