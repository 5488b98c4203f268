import { type ChildProcess, spawn } from "node:child_process";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { closeQueues, getQueue, QUEUES } from "@/server/jobs/queues";
import { createRedis } from "@/server/redis";
import { makeApplianceWithKey, makePartner } from "../support/factories";
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
    let trigger = null;
    for (let i = 0; i < 100 && !trigger; i++) {
      trigger = await db().applianceTrigger.findFirst({
        where: { applianceId, kind: "immediate_scan", state: "pending" },
      });
      if (!trigger) await new Promise((r) => setTimeout(r, 100));
    }
    expect(trigger?.reason).toBe("site credentials changed");
  });

  it("stops cleanly on SIGTERM", async () => {
    worker.kill("SIGTERM");
    const code = await new Promise((r) => worker.once("exit", r));
    expect(code).toBe(0);
    expect(output).toContain("worker stopping");
  });
});
