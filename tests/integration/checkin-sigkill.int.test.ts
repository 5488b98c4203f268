/**
 * The web process SIGKILLed under check-in load: every password that reached a client has its release
 * in the credential access log. A real process (tests/support/checkin-server.ts: the check-in route
 * through node-bridge, as scripts/serve.ts serves it), real PostgreSQL, real HTTP clients.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis } from "@/server/redis";
import { makeApplianceWithKey, makePartner } from "../support/factories";

const APPLIANCES = 24;
const CREDENTIALS = 3;
const CONNECTIONS = 16;

let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/checkin-server.ts"], {
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = out.match(/listening (\d+)/);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once("exit", (code) => reject(new Error(`check-in server exited (${code}) before listening`)));
  });
}

/** One check-in; resolves with every byte received, whether or not the response completed. */
function post(port: number, agent: http.Agent, a: { applianceId: string; apiKey: string }) {
  const body = JSON.stringify({ appliance_id: a.applianceId });
  return new Promise<{ text: string; complete: boolean }>((resolve) => {
    let text = "";
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/appliances/checkin",
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${a.apiKey}`,
        },
      },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ text, complete: res.complete && res.statusCode === 200 }));
        res.on("error", () => resolve({ text, complete: false }));
      },
    );
    req.on("error", () => resolve({ text, complete: false }));
    req.end(body);
  });
}

describe("the web process killed with SIGKILL under check-in load", () => {
  it("leaves an access-log release for every password a client received", async () => {
    const partner = await makePartner();
    const fleet: Array<{ siteId: string; applianceId: string; apiKey: string }> = [];
    // password -> "appliance credential": every password is unique, so each one a client saw is attributable.
    const owner = new Map<string, string>();
    for (let i = 0; i < APPLIANCES; i++) {
      const a = await makeApplianceWithKey(partner.partner.id);
      for (let c = 0; c < CREDENTIALS; c++) {
        const password = `pw-${i}-${c}-${a.apiKey.slice(0, 8)}`;
        const cred = await createSiteCredential(
          db(),
          partner.partner.id,
          a.siteId,
          {
            credential_type: "winrm",
            credential_name: `Server ${c}`,
            host: `srv${c}.clinic${i}.test`,
            username: "svc",
            password,
          },
          { actorType: "system" },
        );
        owner.set(password, `${a.applianceId} ${cred.id}`);
      }
      fleet.push(a);
    }

    const started = await startServer();
    server = started.child;
    const exited = new Promise((r) => started.child.once("exit", r));
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const received = new Map<string, number>();
    let completed = 0;
    let cutOff = 0;
    let next = 0;
    let dead = false;
    const loops = Array.from({ length: CONNECTIONS }, async () => {
      while (!dead) {
        const r = await post(started.port, agent, fleet[next++ % APPLIANCES] as (typeof fleet)[number]);
        // Count every password whose bytes arrived, complete response or not.
        for (const m of r.text.matchAll(/"password":"([^"]*)"/g)) {
          const key = owner.get(m[1] as string);
          if (key) received.set(key, (received.get(key) ?? 0) + 1);
        }
        if (r.complete) completed++;
        else {
          cutOff++;
          return; // the server is gone
        }
      }
    });

    // Kill it mid-load, once it has served a good number of check-ins.
    while (completed < 300) await new Promise((r) => setTimeout(r, 20));
    started.child.kill("SIGKILL");
    dead = true;
    await exited;
    await Promise.all(loops);
    agent.destroy();

    const total = [...received.values()].reduce((n, x) => n + x, 0);
    expect(completed).toBeGreaterThanOrEqual(300);
    expect(total).toBeGreaterThanOrEqual(300 * CREDENTIALS);
    // Requests were in flight when it died.
    expect(cutOff).toBeGreaterThan(0);

    const rows = await db().credentialAccess.groupBy({
      by: ["applianceId", "credentialId"],
      where: { applianceId: { in: fleet.map((a) => a.applianceId) } },
      _sum: { count: true },
    });
    const audited = new Map(rows.map((r) => [`${r.applianceId} ${r.credentialId}`, r._sum.count ?? 0]));
    const missing = [...received].filter(([key, n]) => (audited.get(key) ?? 0) < n);
    expect(missing).toEqual([]);
    // And the log is exact: at most the releases of the requests in flight at the kill were audited but
    // never reached a client.
    const auditedTotal = [...audited.values()].reduce((n, x) => n + x, 0);
    expect(auditedTotal - total).toBeGreaterThanOrEqual(0);
    expect(auditedTotal - total).toBeLessThanOrEqual(CONNECTIONS * CREDENTIALS);
  });
});
