/**
 * The appliance's durable outbox with the real pieces: the real Samba AD DC, the product's real route handlers
 * over HTTP (PostgreSQL, Redis), the real daemon code (in this process, and as the real `osiris-appliance run`
 * process for the SIGKILL), and a loopback proxy between them that loses what each test asks it to
 * (tests/support/lossy-proxy.ts):
 *  (a) the answer to enumeration-results is dropped AFTER the server processed the post: the appliance cannot
 *      tell, keeps the report, sends it again, and the server stores the run once (idempotent by content);
 *  (b) the appliance process is SIGKILLed with the report journaled but not delivered (the proxy holds the
 *      post: it never reaches the server): on restart the report is replayed from disk and arrives;
 *  (c) Central Command is unavailable (503, what it answers while its Redis or database is down): the report
 *      stays on disk and is delivered once it is back. The 503 is played by the proxy, NOT by stopping Redis:
 *      the Redis server on this machine is shared with other test runs, which stopping it would break;
 *  (d) the answer to an enumeration-failed report is lost: sent again, it is recorded (and notified) once.
 * Throughout, no file in the appliance's state dir holds the domain password.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as discoveredRoute from "@/app/api/appliances/domain-discovered/route";
import * as discoveryFailedRoute from "@/app/api/appliances/domain-discovery-failed/route";
import * as enumerationFailedRoute from "@/app/api/appliances/enumeration-failed/route";
import * as enumerationRoute from "@/app/api/appliances/enumeration-results/route";
import * as statusRoute from "@/app/api/provision/status/route";
import * as domainCredsRoute from "@/app/api/sites/[siteId]/domain-credentials/route";
import { type ApplianceConfig, writeConfig } from "@/appliance/src/config/config-file";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { CheckinDaemon } from "@/appliance/src/daemon/checkin-daemon";
import { spawnAppliance } from "@/appliance/test/support/appliance-process";
import { APPLIANCE_SETTING_DEFAULTS } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { APPLIANCE_KEY_PURPOSE } from "@/server/domain/appliances/authenticate-appliance";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { setDomainCredential } from "@/server/domain/directory/domain-credential";
import { hashSecret } from "@/server/domain/security/secrets";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis } from "@/server/redis";
import { drainSite } from "../support/directory";
import { makeApplianceWithKey, makePartner } from "../support/factories";
import { type LossyProxy, startLossyProxy } from "../support/lossy-proxy";
import { type RouteServer, startRouteServer } from "../support/route-server";
import { createUser } from "../support/samba-dc/directory-admin";
import { FIXTURE_NOW } from "../support/samba-dc/fixtures";
import { ensureTestDc, type TestDc } from "../support/samba-dc/samba-dc";

const READER = "osiris-outbox";
const READER_PASSWORD = "Osiris-Outbox-Passw0rd!";
const RESULTS = "/api/appliances/enumeration-results";

let dc: TestDc;
let server: RouteServer;
const roots: string[] = [];
const proxies: LossyProxy[] = [];

beforeAll(async () => {
  dc = await ensureTestDc();
  await createUser(dc, READER, READER_PASSWORD).catch((err: Error) => {
    if (!/already exists|ENTRY_EXISTS/i.test(err.message)) throw err;
  });
  server = await startRouteServer([
    { method: "POST", path: "/api/appliances/checkin", handler: checkinRoute.POST },
    { method: "POST", path: "/api/provision/status", handler: statusRoute.POST },
    { method: "POST", path: "/api/appliances/domain-discovered", handler: discoveredRoute.POST },
    { method: "POST", path: "/api/appliances/domain-discovery-failed", handler: discoveryFailedRoute.POST },
    { method: "POST", path: RESULTS, handler: enumerationRoute.POST },
    { method: "POST", path: "/api/appliances/enumeration-failed", handler: enumerationFailedRoute.POST },
    { method: "GET", path: "/api/sites/:siteId/domain-credentials", handler: domainCredsRoute.GET },
  ]);
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await server?.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  await flushCheckinBuffers();
  await closeRedis();
  await closeQueues();
  await closePgPool();
  await disconnectDb();
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A site with one appliance whose keys come from its root secret (as after a claim), its state dir, and a proxy. */
async function setUp() {
  const rootSecret = generateRootSecret();
  const keys = deriveApplianceKeys(rootSecret);
  const partner = await makePartner();
  const { siteId, applianceId } = await makeApplianceWithKey(partner.partner.id, {
    publicKey: keys.keyPair.publicKeyBase64,
  });
  await db().appliance.update({
    where: { id: applianceId },
    data: { apiKeyHash: hashSecret(keys.apiKey, APPLIANCE_KEY_PURPOSE) },
  });
  const root = mkdtempSync(path.join(tmpdir(), "osiris-ad-outbox-"));
  roots.push(root);
  const stateDir = path.join(root, "msp");
  const proxy = await startLossyProxy(server.url);
  proxies.push(proxy);
  const config: ApplianceConfig = {
    site_id: siteId,
    appliance_id: applianceId,
    appliance_secret: rootSecret,
    api_endpoint: proxy.url,
    ...APPLIANCE_SETTING_DEFAULTS,
    state_dir: stateDir,
    partner: { slug: partner.partner.slug, brand_name: partner.partner.brandName, primary_color: "#2563EB" },
    provisioned_at: "2026-12-01T00:00:00+00:00",
    mac_address: "84:3A:5B:91:B6:61",
    hostname: "appliance",
  };
  const outboxDir = path.join(stateDir, "outbox");
  return {
    partnerId: partner.partner.id,
    siteId,
    stateDir,
    config,
    proxy,
    /** The reports journaled and not yet acknowledged (file names). */
    journaled: () => {
      try {
        return readdirSync(outboxDir).filter((n) => n.endsWith(".json"));
      } catch {
        return [];
      }
    },
    outboxDir,
    /** The partner enters the domain credential; its outbox row raises trigger_enumeration. */
    enterCredential: async (username = READER) => {
      await setDomainCredential(
        db(),
        partner.partner.id,
        siteId,
        { domain: dc.domain, username, password: READER_PASSWORD },
        { actorType: "system" },
      );
      await drainSite(siteId);
    },
    runs: () => db().enumerationRun.findMany({ where: { siteId }, include: { chunks: true } }),
  };
}

/** The real daemon in this process, discovering the DC's domain through the DC's DNS; quick outbox retries. */
function startDaemon(config: ApplianceConfig) {
  const lines: string[] = [];
  const controller = new AbortController();
  const daemon = new CheckinDaemon(config, {
    signal: controller.signal,
    pollIntervalMs: 300,
    timeoutMs: 20_000,
    log: (l) => lines.push(l),
    directory: {
      stateDir: config.state_dir,
      dnsServers: [dc.ip],
      candidates: () => [dc.domain],
      enumerationBudgetMs: 30_000,
      enumerate: { now: FIXTURE_NOW, winrm: { timeoutMs: 500 } },
    },
    outbox: { retryInitialMs: 200, retryMaxMs: 1_000 },
  });
  const running = daemon.run();
  return {
    daemon,
    lines,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The domain password as text, UTF-16, base64 or hex: in none of the state dir's files. */
function expectNoPasswordOnDisk(stateDir: string): void {
  const utf8 = Buffer.from(READER_PASSWORD, "utf8");
  const forms = [
    utf8,
    Buffer.from(READER_PASSWORD, "utf16le"),
    Buffer.from(utf8.toString("base64")),
    Buffer.from(utf8.toString("hex")),
  ];
  const files = filesUnder(stateDir);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const content = readFileSync(file);
    for (const form of forms) expect(content.includes(form), `${file} holds the domain password`).toBe(false);
  }
}

describe("the appliance's outbox against the real server, over a lossy network", () => {
  it("(a) an answer lost after the server stored the results: the report is sent again and the run is stored once", async () => {
    const s = await setUp();
    let dropped = 0;
    // The first enumeration-results post reaches the server, which stores the run; its answer is lost.
    s.proxy.policy = ({ path: p }) => (p === RESULTS && dropped++ === 0 ? "drop-answer" : "pass");
    const { daemon, lines, stop } = startDaemon(s.config);
    try {
      await until("the discovered domain", () =>
        db()
          .discoveredDomain.findFirst({ where: { siteId: s.siteId } })
          .then((r) => r ?? undefined),
      );
      await s.enterCredential();
      const outcome = await until("the enumeration handler's end", () => daemon.ad?.lastEnumeration);
      expect(outcome).toMatchObject({ status: "reported", posts: 1, delivered: true });

      // Two posts of the same report reached the server: the first processed (202) but unanswered.
      expect(s.proxy.to(RESULTS).map((r) => [r.mode, r.upstreamStatus])).toEqual([
        ["drop-answer", 202],
        ["pass", 202],
      ]);
      expect(lines.some((l) => /enumeration results of .* not delivered \(.*\); kept in the outbox/.test(l))).toBe(
        true,
      );
      // ...and it holds ONE run, with one chunk.
      const runs = await s.runs();
      expect(runs).toHaveLength(1);
      expect(runs[0]?.chunks).toHaveLength(1);
      expect(runs[0]?.status).toBe("queued");
      await drainSite(s.siteId);
      expect((await s.runs()).map((r) => r.status)).toEqual(["merged"]);
      expect(s.journaled()).toEqual([]);
      expectNoPasswordOnDisk(s.stateDir);
    } catch (err) {
      console.error(lines.join("\n"));
      throw err;
    } finally {
      await stop();
    }
    expect(lines.join("\n")).not.toContain(READER_PASSWORD);
  }, 120_000);

  it("(b) the appliance process SIGKILLed with the report journaled and not delivered: replayed at restart, it arrives", async () => {
    const s = await setUp();
    writeConfig(s.config);
    // The enumeration-results post never reaches the server: the appliance dies while it is in flight.
    s.proxy.policy = ({ path: p }) => (p === RESULTS ? "hold" : "pass");
    // A quick poll, but requests as patient as in production (by default the timeout follows the poll interval,
    // and a post that times out under load would wait the outbox's 1 min backoff).
    const env = {
      OSIRIS_POLL_INTERVAL_S: "0.3",
      OSIRIS_HTTP_TIMEOUT_S: "20",
      OSIRIS_DNS_SERVERS: dc.ip,
      OSIRIS_AD_ENUMERATION_BUDGET_S: "30",
    };
    const first = spawnAppliance(["run", "--state-dir", s.stateDir], { env });
    let second: ReturnType<typeof spawnAppliance> | undefined;
    try {
      await until("the appliance's first check-in", () => / check-in ok /.test(first.stdout()));
      await s.enterCredential();
      await until("the enumeration-results post in flight", () => s.proxy.to(RESULTS).length === 1);
      const [journaled] = s.journaled();
      expect(journaled).toMatch(/^\d{12}-enumeration-results\.json$/);
      const file = path.join(s.outboxDir, journaled as string);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(s.outboxDir).mode & 0o777).toBe(0o700);
      const body = JSON.parse(readFileSync(file, "utf8")).body as { enumerated_at: string; workstations: unknown[] };
      expect(body.workstations.length).toBeGreaterThan(0);
      expectNoPasswordOnDisk(s.stateDir);

      first.child.kill("SIGKILL");
      expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
      expect(s.journaled()).toEqual([journaled]);
      expect(await s.runs()).toEqual([]); // the server never saw it

      s.proxy.policy = () => "pass";
      second = spawnAppliance(["run", "--state-dir", s.stateDir], { env });
      const run = await until("the replayed run", () => s.runs().then((r) => r[0]));
      await until("the replayed report deleted", () => !s.journaled().includes(journaled as string));
      // It is the report journaled before the kill (same enumeration time), not a new enumeration.
      expect(run.enumeratedAt?.toISOString()).toBe(new Date(body.enumerated_at).toISOString());
      expect(await s.runs()).toHaveLength(1);
      expect(run.workstationCount).toBe(body.workstations.length);
      expect(second.stdout()).toContain("outbox: 1 report(s) journaled before this start, sending them again");
      expect(s.proxy.to(RESULTS).map((r) => r.mode)).toEqual(["hold", "pass"]);
      expectNoPasswordOnDisk(s.stateDir);
    } catch (err) {
      console.error(
        `first run:\n${first.stdout()}${first.stderr()}\nsecond run:\n${second?.stdout()}${second?.stderr()}`,
      );
      throw err;
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill("SIGKILL");
      if (second) {
        second.child.kill("SIGTERM");
        await second.exited;
      }
    }
    expect(`${first.stdout()}${second.stdout()}`).not.toContain(READER_PASSWORD);
  }, 120_000);

  it("(c) Central Command unavailable (503): the report is kept on disk and delivered when it is back", async () => {
    const s = await setUp();
    let down = true;
    s.proxy.policy = ({ path: p }) => (p === RESULTS && down ? "unavailable" : "pass");
    const { daemon, lines, stop } = startDaemon(s.config);
    try {
      await until("the discovered domain", () =>
        db()
          .discoveredDomain.findFirst({ where: { siteId: s.siteId } })
          .then((r) => r ?? undefined),
      );
      await s.enterCredential();
      await until("three refused attempts", () => s.proxy.to(RESULTS).length >= 3);
      expect(s.journaled()).toEqual([expect.stringMatching(/^\d{12}-enumeration-results\.json$/)]);
      expect(await s.runs()).toEqual([]);
      expect(daemon.ad?.lastEnumeration).toBeUndefined(); // still waiting for the acknowledgement
      expect(lines.some((l) => /not delivered \(.*\(HTTP 503\)\); kept in the outbox, retrying in/.test(l))).toBe(true);
      expectNoPasswordOnDisk(s.stateDir);

      down = false;
      const outcome = await until("the enumeration handler's end", () => daemon.ad?.lastEnumeration);
      expect(outcome).toMatchObject({ status: "reported", delivered: true });
      const runs = await s.runs();
      expect(runs).toHaveLength(1);
      expect(runs[0]?.status).toBe("queued");
      expect(s.journaled()).toEqual([]);
      const attempts = s.proxy.to(RESULTS);
      expect(attempts.at(-1)).toMatchObject({ mode: "pass", upstreamStatus: 202 });
      expect(attempts.slice(0, -1).every((r) => r.mode === "unavailable")).toBe(true);
    } catch (err) {
      console.error(lines.join("\n"));
      throw err;
    } finally {
      await stop();
    }
  }, 120_000);

  it("(d) an enumeration-failed answer lost after the server recorded it: sent again, recorded and notified once", async () => {
    const s = await setUp();
    const FAILED = "/api/appliances/enumeration-failed";
    let dropped = 0;
    s.proxy.policy = ({ path: p }) => (p === FAILED && dropped++ === 0 ? "drop-answer" : "pass");
    const { daemon, lines, stop } = startDaemon(s.config);
    try {
      await until("the discovered domain", () =>
        db()
          .discoveredDomain.findFirst({ where: { siteId: s.siteId } })
          .then((r) => r ?? undefined),
      );
      // An account the directory does not have: LDAP 49 (52e), reported as wrong_password.
      await s.enterCredential("osiris-nobody");
      const outcome = await until("the enumeration handler's end", () => daemon.ad?.lastEnumeration);
      expect(outcome).toMatchObject({ status: "failed", code: "wrong_password", reported: true });
      expect(s.proxy.to(FAILED).map((r) => [r.mode, r.upstreamStatus])).toEqual([
        ["drop-answer", 200],
        ["pass", 200],
      ]);
      const runs = await s.runs();
      expect(runs.map((r) => [r.status, r.error?.split(":")[0]])).toEqual([["failed", "wrong_password"]]);
      expect(await db().notification.count({ where: { partnerId: s.partnerId, kind: "enumeration_failed" } })).toBe(1);
      expect(s.journaled()).toEqual([]);
    } catch (err) {
      console.error(lines.join("\n"));
      throw err;
    } finally {
      await stop();
    }
  }, 120_000);
});
