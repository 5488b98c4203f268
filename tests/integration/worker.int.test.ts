import { type ChildProcess, spawn } from "node:child_process";
import { QueueEvents } from "bullmq";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { closeQueues, getQueue, QUEUES } from "@/server/jobs/queues";
import { createRedis } from "@/server/redis";
import { makeApplianceWithKey, makePartner } from "../support/factories";
import { exited, startWorker, waitFor } from "../support/processes";
import { testEnv } from "../support/test-env";

let worker: ChildProcess;
let output = "";

beforeAll(() => {
  worker = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    env: { ...process.env, ...testEnv, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout?.on("data", (d) => {
    output += d;
  });
  worker.stderr?.on("data", (d) => {
    output += d;
  });
});

afterAll(async () => {
  if (worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
  }
  await closeQueues();
  await disconnectDb();
});

describe("the worker process", () => {
  it("processes jobs from its queues, and rejects malformed payloads without retrying", async () => {
    const connection = createRedis("worker");
    const events = new QueueEvents(QUEUES.maintenance, { connection, prefix: testEnv.QUEUE_PREFIX });
    await events.waitUntilReady();
    const queue = getQueue(QUEUES.maintenance);

    const at = new Date().toISOString();
    const job = await queue.add("maintenance.ping", { at }, { attempts: 3 });
    expect(await job.waitUntilFinished(events, 20_000)).toEqual({ pong: at });

    const bad = await queue.add("maintenance.ping", { nope: true }, { attempts: 3 });
    await expect(bad.waitUntilFinished(events, 20_000)).rejects.toThrow(/invalid payload/);
    const failed = await queue.getJob(bad.id ?? "");
    expect(failed?.attemptsMade).toBe(1);

    await events.close();
    connection.disconnect();
  });

  it("turns a credential change into a scan flag for the site's appliances", async () => {
    const partner = await makePartner();
    const { siteId, applianceId } = await makeApplianceWithKey(partner.partner.id);
    await createSiteCredential(
      db(),
      partner.partner.id,
      siteId,
      { credential_type: "winrm", credential_name: "FS01", host: "fs01.test", username: "u", password: "p" },
      { actorType: "system" },
    );
    const trigger = await waitFor("the scan flag", () =>
      db().applianceTrigger.findFirst({ where: { applianceId, kind: "immediate_scan", state: "pending" } }),
    );
    expect(trigger?.reason).toBe("site credentials changed");
  });

  it("on SIGTERM finishes the job in flight before it exits", async () => {
    const partner = await makePartner();
    const { siteId, applianceId } = await makeApplianceWithKey(partner.partner.id);
    const lock = await holdApplianceLock(applianceId);
    try {
      await saveCredential(partner.partner.id, siteId);
      await waitFor("the job to be in flight (blocked on our lock)", () => jobsWaitingOnLocks());
      worker.kill("SIGTERM");
      await waitFor("the worker to start stopping", async () => output.includes("worker stopping"));
      expect(worker.exitCode).toBeNull(); // still draining: its job has not finished
    } finally {
      await lock.release();
    }
    const code = await new Promise((r) => worker.once("exit", r));
    expect(code).toBe(0);
    // The job finished before the process exited: its effect and its outbox row were committed.
    expect(await db().applianceTrigger.count({ where: { applianceId, state: "pending" } })).toBe(1);
    const [row] = await outboxFor(siteId);
    expect(row?.completedAt).not.toBeNull();
  }, 120_000);

  it("exits anyway after WORKER_DRAIN_TIMEOUT_MS, leaving the cut job's outbox row open to run again", async () => {
    const partner = await makePartner();
    const { siteId, applianceId } = await makeApplianceWithKey(partner.partner.id);
    const impatient = startWorker(testEnv.REDIS_URL, { WORKER_DRAIN_TIMEOUT_MS: "500" });
    await waitFor("the worker to start", async () => impatient.output().includes("worker started")).catch((err) => {
      throw new Error(`${err.message}; worker output: ${impatient.output()}`);
    });
    const lock = await holdApplianceLock(applianceId);
    try {
      await saveCredential(partner.partner.id, siteId);
      await waitFor("the job to be in flight (blocked on our lock)", () => jobsWaitingOnLocks()).catch((err) => {
        throw new Error(`${err.message}; worker output: ${impatient.output()}`);
      });
      impatient.child.kill("SIGTERM");

      expect(await exited(impatient.child)).toBe(1); // exited while the job was still blocked
      expect(impatient.output()).toContain("exiting anyway");
    } finally {
      await lock.release();
    }
    const [row] = await outboxFor(siteId);
    expect(row?.completedAt).toBeNull();
    expect(await db().applianceTrigger.count({ where: { applianceId } })).toBe(0);
  }, 120_000);
});

/** Holds a row lock on the appliance: the job's flag insert (a foreign key to it) waits for it. */
async function holdApplianceLock(applianceId: string) {
  const client = new pg.Client({ connectionString: testEnv.DATABASE_URL });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT 1 FROM appliances WHERE id = $1 FOR UPDATE", [applianceId]);
  return {
    async release() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

async function jobsWaitingOnLocks(): Promise<boolean> {
  const rows = await db().$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%appliance_triggers%'`;
  return Number(rows[0]?.n ?? 0) > 0;
}

function saveCredential(partnerId: string, siteId: string) {
  return createSiteCredential(
    db(),
    partnerId,
    siteId,
    { credential_type: "winrm", credential_name: "FS09", host: "fs09.test", username: "u", password: "p" },
    { actorType: "system" },
  );
}

const outboxFor = (siteId: string) =>
  db().outboxEntry.findMany({ where: { kind: "credentials.changed", payload: { equals: { siteId } } } });
