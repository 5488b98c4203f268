/**
 * The transactional outbox with real processes: a private redis-server that is killed and comes back
 * empty, and the real worker process (relay + processors). Also: a job processed twice changes nothing
 * twice, and a pending flag is unique per appliance and kind.
 */

import type { Job } from "bullmq";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as credsRoute from "@/app/api/partners/me/sites/[siteId]/credentials/route";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { deliverTriggers, requestTrigger } from "@/server/domain/checkin/triggers";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { resetEnvCache } from "@/server/env";
import { startOutboxRelay } from "@/server/jobs/outbox/relay";
import { runOutboxJob } from "@/server/jobs/outbox/run-outbox-job";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis } from "@/server/redis";
import { outboxHandlers } from "@/workers/processors";
import { callRoute, makeApplianceWithKey, makePartner, makeSiteWithAppliance } from "../support/factories";
import { startPrivateRedis, startWorker, waitFor } from "../support/processes";
import { testEnv } from "../support/test-env";

const sharedRedisUrl = process.env.REDIS_URL;

afterAll(async () => {
  process.env.REDIS_URL = sharedRedisUrl;
  resetEnvCache();
  await flushCheckinBuffers();
  await closeRedis();
  await closeQueues();
  await closePgPool();
  await disconnectDb();
});

async function checkin(apiKey: string, applianceId: string) {
  const res = await callRoute(
    checkinRoute.POST,
    new Request("http://x/api/appliances/checkin", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ appliance_id: applianceId, hostname: "osiriscare-appliance" }),
    }),
  );
  return { status: res.status, body: (await res.json()) as { trigger_immediate_scan?: boolean } };
}

async function saveCredential(apiToken: string, siteId: string) {
  return callRoute(
    credsRoute.POST,
    new Request("http://x/", {
      method: "POST",
      headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        credential_type: "winrm",
        credential_name: "FS01",
        host: "fs01.clinic.test",
        username: "svc",
        password: "Outage!2027",
      }),
    }),
    { siteId },
  );
}

/** The job the relay makes for an outbox row. */
function jobFor(row: { id: bigint; createdAt: Date } | undefined): Job {
  const data = { outboxId: String(row?.id), createdMs: String(row?.createdAt.getTime()) };
  return { name: "credentials.changed", data } as Job;
}

/** Whether the maintenance schedule exists in that Redis. */
async function schedulers(url: string): Promise<boolean> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue("maintenance", { connection, prefix: testEnv.QUEUE_PREFIX });
  try {
    return (await queue.getJobSchedulers()).some((s) => s.key === "maintenance-every-30s");
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

const openOutboxFor = (siteId: string) =>
  db().outboxEntry.findMany({ where: { kind: "credentials.changed", payload: { equals: { siteId } } } });

describe("Redis dying and coming back empty loses nothing", () => {
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // This process's request path uses the same private Redis: if saving a credential or checking in
    // touched Redis, it would fail while Redis is dead.
    process.env.REDIS_URL = redis.url;
    resetEnvCache();
    await closeRedis();
  });
  afterAll(async () => {
    await redis.kill();
  });

  it("a credential saved while Redis is down answers 201, and its scan flag arrives exactly once", async () => {
    const worker = startWorker(redis.url);
    try {
      await waitFor("the worker to register its schedules", () => schedulers(redis.url));
      const partner = await makePartner();
      const { siteId, applianceId, apiKey } = await makeApplianceWithKey(partner.partner.id);

      await redis.kill();
      const saved = await saveCredential(partner.apiToken, siteId);
      expect(saved.status).toBe(201);
      const during = await checkin(apiKey, applianceId);
      expect(during.status).toBe(200);
      expect(during.body.trigger_immediate_scan).toBe(false);
      const [row] = await openOutboxFor(siteId);
      expect(row?.completedAt).toBeNull();

      redis = await startPrivateRedis(redis.port); // same port, nothing in it
      await waitFor("the scan flag", () =>
        db().applianceTrigger.findFirst({ where: { applianceId, kind: "immediate_scan", state: "pending" } }),
      );
      expect((await checkin(apiKey, applianceId)).body.trigger_immediate_scan).toBe(true);
      expect((await checkin(apiKey, applianceId)).body.trigger_immediate_scan).toBe(false);
      expect(await db().applianceTrigger.count({ where: { applianceId } })).toBe(1);
      const done = await db().outboxEntry.findUniqueOrThrow({ where: { id: row?.id ?? 0n } });
      expect(done.completedAt).not.toBeNull();

      // The maintenance schedule lived in the Redis that died: the worker registered it again.
      await waitFor("the schedules registered again", () => schedulers(redis.url));
    } finally {
      // The worker's own log says why, should it not stop cleanly.
      expect(await worker.stop(), worker.output().slice(-4000)).toBe(0);
    }
  }, 180_000);

  it("a job Redis lost after it was enqueued is enqueued again from the outbox", async () => {
    const partner = await makePartner();
    const { siteId, applianceId } = await makeApplianceWithKey(partner.partner.id);
    await createSiteCredential(
      db(),
      partner.partner.id,
      siteId,
      { credential_type: "winrm", credential_name: "FS02", host: "fs02.test", username: "u", password: "p" },
      { actorType: "system" },
    );
    // Enqueue it with no worker running, so the job sits in Redis…
    const relay = startOutboxRelay(db(), { redisUrl: redis.url, prefix: testEnv.QUEUE_PREFIX, intervalMs: 60_000 });
    try {
      await waitFor("the row to be enqueued", async () => {
        await relay.runOnce();
        return (await openOutboxFor(siteId))[0]?.enqueuedAt;
      });
    } finally {
      await relay.stop();
    }
    // …then Redis dies and comes back empty: the job is gone.
    await redis.kill();
    redis = await startPrivateRedis(redis.port);
    const worker = startWorker(redis.url);
    try {
      await waitFor("the scan flag", () =>
        db().applianceTrigger.findFirst({ where: { applianceId, kind: "immediate_scan", state: "pending" } }),
      );
      const [row] = await openOutboxFor(siteId);
      expect(row?.completedAt).not.toBeNull();
      expect(row?.attempts).toBe(2); // enqueued once, lost, enqueued again
    } finally {
      // The worker's own log says why, should it not stop cleanly.
      expect(await worker.stop(), worker.output().slice(-4000)).toBe(0);
    }
  }, 180_000);
});

describe("outbox jobs are idempotent", () => {
  it("a job processed twice (the same outbox row) changes nothing twice, even when both copies run at once", async () => {
    const partner = await makePartner();
    const { siteId, appliance } = await makeSiteWithAppliance(partner.partner.id);
    await createSiteCredential(
      db(),
      partner.partner.id,
      siteId,
      { credential_type: "winrm", credential_name: "FS03", host: "fs03.test", username: "u", password: "p" },
      { actorType: "system" },
    );
    const [row] = await openOutboxFor(siteId);
    const job = jobFor(row);

    const first = await runOutboxJob(db(), job, outboxHandlers);
    expect(first.skipped).toBeUndefined();
    // The flag is delivered: a second run that acted again would raise a new pending one.
    expect([...(await deliverTriggers(db(), appliance.id))]).toEqual(["immediate_scan"]);

    const again = await Promise.all([runOutboxJob(db(), job, outboxHandlers), runOutboxJob(db(), job, outboxHandlers)]);
    expect(again.map((r) => r.skipped)).toEqual(["completed", "completed"]);
    expect(await db().applianceTrigger.count({ where: { applianceId: appliance.id } })).toBe(1);
    expect(await db().applianceTrigger.count({ where: { applianceId: appliance.id, state: "pending" } })).toBe(0);
  });

  it("two copies of a new row running at once: one acts, the other waits for it and skips", async () => {
    const partner = await makePartner();
    const { siteId, appliance } = await makeSiteWithAppliance(partner.partner.id);
    await createSiteCredential(
      db(),
      partner.partner.id,
      siteId,
      { credential_type: "winrm", credential_name: "FS04", host: "fs04.test", username: "u", password: "p" },
      { actorType: "system" },
    );
    const [row] = await openOutboxFor(siteId);
    const job = jobFor(row);
    const results = await Promise.all([
      runOutboxJob(db(), job, outboxHandlers),
      runOutboxJob(db(), job, outboxHandlers),
    ]);
    expect(results.filter((r) => r.skipped === "completed")).toHaveLength(1);
    expect(await db().applianceTrigger.count({ where: { applianceId: appliance.id } })).toBe(1);
  });
});

describe("pending flags", () => {
  it("concurrent requests create exactly one pending row per appliance and kind", async () => {
    const partner = await makePartner();
    const { appliance } = await makeSiteWithAppliance(partner.partner.id);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => requestTrigger(db(), appliance.id, "immediate_scan", "concurrent")),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(
      await db().applianceTrigger.count({
        where: { applianceId: appliance.id, kind: "immediate_scan", state: "pending" },
      }),
    ).toBe(1);
    // The schema itself refuses a second pending row, whatever the code does.
    await expect(
      db().applianceTrigger.create({ data: { applianceId: appliance.id, kind: "immediate_scan", reason: "direct" } }),
    ).rejects.toThrow();
    // Another kind, or a new request once the flag is delivered, is a new row.
    expect((await requestTrigger(db(), appliance.id, "enumeration", "other kind")).created).toBe(true);
    await deliverTriggers(db(), appliance.id);
    expect((await requestTrigger(db(), appliance.id, "immediate_scan", "after delivery")).created).toBe(true);
  });
});
