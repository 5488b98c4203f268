/**
 * Queue names and typed job payloads. Payloads carry ids only, never secrets (Redis keeps them in
 * clear). Workers re-validate each payload with the same schema before processing.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { getEnv } from "@/server/env";
import { createRedis } from "@/server/redis";

export const QUEUES = {
  /** Processes Active Directory enumeration results reported by appliances. */
  enumeration: "enumeration",
  /** Reacts to credential changes by raising appliance flags. */
  triggers: "triggers",
  /** Periodic housekeeping: offline detection, trigger re-arming. */
  maintenance: "maintenance",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JobPayloads = {
  "maintenance.ping": z.object({ at: z.string() }),
  /** Offline detection and trigger re-arming (scheduled every 30 s). */
  "maintenance.run": z.object({}),
  /** A site's credentials changed: ask its appliances for a fresh scan with them. */
  "credentials.changed": z.object({ siteId: z.string().min(1) }),
  /** A site's domain credential was entered: ask its appliances to enumerate AD (trigger_enumeration). */
  "domain-credential.changed": z.object({ siteId: z.string().min(1) }),
  /** A partner accepted a DC's new certificate: ask the site's appliances to enumerate again with the new pin. */
  "dc-certificate.accepted": z.object({ siteId: z.string().min(1) }),
  /** An enumeration run is complete in PostgreSQL: merge it (job id per appliance and run). */
  "enumeration.merge": z.object({ runId: z.string().min(1) }),
  /** A run was merged: ask the site's appliances for an immediate scan (trigger_immediate_scan). */
  "enumeration.merged": z.object({ siteId: z.string().min(1), runId: z.string().min(1) }),
} as const;
export type JobName = keyof typeof JobPayloads;

/**
 * Jobs that come from state changes go through the transactional outbox (server/jobs/outbox): written in
 * the change's own transaction with `addOutbox(tx, kind, payload)`, enqueued by the relay. Each names its queue.
 */
export const OUTBOX_JOBS = {
  "credentials.changed": QUEUES.triggers,
  "domain-credential.changed": QUEUES.triggers,
  "dc-certificate.accepted": QUEUES.triggers,
  "enumeration.merge": QUEUES.enumeration,
  "enumeration.merged": QUEUES.triggers,
} as const satisfies Partial<Record<JobName, QueueName>>;
export type OutboxKind = keyof typeof OUTBOX_JOBS;

/** BullMQ job ids may not contain ':' (appliance ids contain MAC addresses). */
export function jobId(...parts: string[]): string {
  return parts.map((p) => p.replaceAll(":", "")).join("__");
}

let queues: Map<QueueName, { queue: Queue; connection: Redis }> | undefined;

/** Producer-side queues (lazily connected, fail fast when Redis is down). */
export function getQueue(name: QueueName): Queue {
  queues ??= new Map();
  let entry = queues.get(name);
  if (!entry) {
    const connection = createRedis("producer");
    entry = { queue: new Queue(name, { connection, prefix: getEnv().QUEUE_PREFIX }), connection };
    queues.set(name, entry);
  }
  return entry.queue;
}

export function allQueues(): Queue[] {
  return Object.values(QUEUES).map(getQueue);
}

export async function closeQueues(): Promise<void> {
  // BullMQ does not close connections it was given.
  for (const { queue, connection } of queues?.values() ?? []) {
    await queue.close();
    connection.disconnect();
  }
  queues = undefined;
}
