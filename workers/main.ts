/**
 * The worker process: one BullMQ Worker per queue. Runs beside the web server, never inside it.
 * Closes cleanly on SIGTERM/SIGINT, letting active jobs finish.
 */
import { Worker } from "bullmq";
import { disconnectDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { closeQueues, getQueue, QUEUES } from "@/server/jobs/queues";
import { logger } from "@/server/logger";
import { createRedis } from "@/server/redis";
import { processors } from "./processors";

const log = logger().child({ component: "worker" });
const env = getEnv();

const workers = Object.values(QUEUES).map((name) => {
  const worker = new Worker(name, processors[name], {
    connection: createRedis("worker"),
    prefix: env.QUEUE_PREFIX,
    concurrency: 4,
  });
  worker.on("failed", (job, err) =>
    log.warn({ queue: name, job: job?.name, jobId: job?.id, err: err.message }, "job failed"),
  );
  worker.on("error", (err) => log.error({ queue: name, err: err.message }, "worker error"));
  return worker;
});

// One schedule however many workers run (upsert is idempotent).
await getQueue(QUEUES.maintenance).upsertJobScheduler(
  "maintenance-every-30s",
  { every: 30_000 },
  { name: "maintenance.run", data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } },
);

log.info({ queues: Object.values(QUEUES) }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping");
  await Promise.all(workers.map((w) => w.close()));
  await closeQueues();
  await disconnectDb();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
