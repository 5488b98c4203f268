import { type Job, UnrecoverableError } from "bullmq";
import type { z } from "zod";
import { db } from "@/server/db";
import { runMaintenance } from "@/server/domain/maintenance/run-maintenance";
import { requestScanForSite } from "@/server/domain/sites/site-views";
import { JobPayloads, type QueueName } from "@/server/jobs/queues";

type Processor = (job: Job) => Promise<unknown>;

function payload<N extends keyof typeof JobPayloads>(name: N, job: Job): z.output<(typeof JobPayloads)[N]> {
  const parsed = JobPayloads[name].safeParse(job.data);
  // A malformed payload will never succeed: fail it permanently instead of retrying.
  if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${name}`);
  return parsed.data as z.output<(typeof JobPayloads)[N]>;
}

/** One processor per queue, dispatching on job.name into the service layer. */
export const processors: Record<QueueName, Processor> = {
  maintenance: async (job) => {
    switch (job.name) {
      case "maintenance.ping":
        return { pong: payload("maintenance.ping", job).at };
      case "maintenance.run":
        payload("maintenance.run", job);
        return runMaintenance(db());
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  },
  enumeration: async (job) => {
    throw new UnrecoverableError(`unknown job ${job.name}`);
  },
  triggers: async (job) => {
    switch (job.name) {
      case "credentials.changed":
        return requestScanForSite(db(), payload("credentials.changed", job).siteId, "site credentials changed");
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  },
};
