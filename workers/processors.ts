import { type Job, UnrecoverableError } from "bullmq";
import type { z } from "zod";
import { db } from "@/server/db";
import { mergeEnumerationRun } from "@/server/domain/directory/merge-enumeration-run";
import { raiseSiteFlag } from "@/server/domain/directory/site-flags";
import { runMaintenance } from "@/server/domain/maintenance/run-maintenance";
import { requestScanForSite } from "@/server/domain/sites/site-views";
import { type OutboxHandlers, pruneOutbox, runOutboxJob } from "@/server/jobs/outbox/run-outbox-job";
import { JobPayloads, type QueueName } from "@/server/jobs/queues";

type Processor = (job: Job) => Promise<unknown>;

function payload<N extends keyof typeof JobPayloads>(name: N, job: Job): z.output<(typeof JobPayloads)[N]> {
  const parsed = JobPayloads[name].safeParse(job.data);
  // A malformed payload will never succeed: fail it permanently instead of retrying.
  if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${name}`);
  return parsed.data as z.output<(typeof JobPayloads)[N]>;
}

/**
 * Work that comes from the outbox: each handler runs in the transaction that completes its outbox row,
 * so it must do its writes through `tx` (and be idempotent for a row processed again after a crash
 * before commit: it then runs from scratch, since nothing of the first attempt was committed).
 */
export const outboxHandlers: OutboxHandlers = {
  "credentials.changed": (tx, { siteId }) => requestScanForSite(tx, siteId, "site credentials changed"),
  "domain-credential.changed": (tx, { siteId }) =>
    raiseSiteFlag(tx, siteId, "enumeration", "domain credential entered"),
  "dc-certificate.accepted": (tx, { siteId }) =>
    raiseSiteFlag(tx, siteId, "enumeration", "domain controller certificate accepted"),
  "enumeration.merge": (tx, { runId }) => mergeEnumerationRun(tx, runId),
  "enumeration.merged": (tx, { siteId, runId }) =>
    raiseSiteFlag(tx, siteId, "immediate_scan", `enumeration run ${runId} merged`),
};

/** One processor per queue, dispatching on job.name into the service layer. */
export const processors: Record<QueueName, Processor> = {
  maintenance: async (job) => {
    switch (job.name) {
      case "maintenance.ping":
        return { pong: payload("maintenance.ping", job).at };
      case "maintenance.run":
        payload("maintenance.run", job);
        return { ...(await runMaintenance(db())), outboxPruned: await pruneOutbox(db()) };
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  },
  enumeration: async (job) => {
    switch (job.name) {
      case "enumeration.merge":
        return runOutboxJob(db(), job, outboxHandlers);
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  },
  triggers: async (job) => {
    switch (job.name) {
      case "credentials.changed":
      case "domain-credential.changed":
      case "dc-certificate.accepted":
      case "enumeration.merged":
        return runOutboxJob(db(), job, outboxHandlers);
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  },
};
