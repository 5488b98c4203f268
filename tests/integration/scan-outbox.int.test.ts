/**
 * The compliance scan end to end with the real pieces: the product's route handlers over HTTP (PostgreSQL,
 * Redis), the real daemon code with the options the CLI gives it (checkinDaemonOptions: the WinRM client as
 * the scanner's runner, the outbox as its delivery), the real `osiris-appliance run` process for the SIGKILL,
 * and the WinRM double serving the site's Windows targets: four fake servers on their own loopback addresses
 * at WinRM's port 5985 (what the check-in hands out for a manual credential without HTTPS), each a manual site
 * credential whose host is the double's address. A loopback proxy between appliance and server loses what each
 * test asks it to (tests/support/lossy-proxy.ts):
 *  (a) "Scan now" → the appliance scans the double's hosts → the matrix holds every host × control with the
 *      status its state means; the scan's completion closes the flag, which is not delivered again;
 *  (b) the answer to scan-results is dropped after the server stored the batch: sent again, stored once;
 *  (c) the appliance process SIGKILLed with the batch journaled and its post in flight: replayed at restart,
 *      counted once;
 *  (d) Central Command unavailable (503) for an hour of the outbox's (injected) clock: nothing lost, delivered
 *      when it is back;
 *  (e) a host's firewall turned off in the double: the next scan shows the drift and a notification names the
 *      host and the control.
 * Throughout (f), the Windows password is in no file under the state dir and in no log line.
 */
import { randomInt } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as discoveredRoute from "@/app/api/appliances/domain-discovered/route";
import * as discoveryFailedRoute from "@/app/api/appliances/domain-discovery-failed/route";
import * as scanResultsRoute from "@/app/api/appliances/scan-results/route";
import * as statusRoute from "@/app/api/provision/status/route";
import { parseCliArgs } from "@/appliance/src/cli/parse-args";
import { checkinDaemonOptions } from "@/appliance/src/cli/run-cli";
import { winrmRunScript } from "@/appliance/src/compliance/scan/winrm-run-script";
import { type ApplianceConfig, writeConfig } from "@/appliance/src/config/config-file";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { CheckinDaemon } from "@/appliance/src/daemon/checkin-daemon";
import { type ScheduledDelay, sleepUnlessAborted } from "@/appliance/src/daemon/schedule";
import type { OutboxClock } from "@/appliance/src/outbox/outbox";
import { spawnAppliance } from "@/appliance/test/support/appliance-process";
import { APPLIANCE_SETTING_DEFAULTS, COMPLIANCE_CHECKS, complianceControl } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { APPLIANCE_KEY_PURPOSE } from "@/server/domain/appliances/authenticate-appliance";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { listComplianceDrift } from "@/server/domain/compliance/list-compliance-drift";
import { getSiteCompliance } from "@/server/domain/compliance/site-compliance";
import { createSiteCredential, deleteSiteCredential } from "@/server/domain/credentials/site-credentials";
import { listNotifications } from "@/server/domain/notifications/partner-notifications";
import { hashSecret } from "@/server/domain/security/secrets";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis } from "@/server/redis";
import { callerFor, makeApplianceWithKey, makePartner, sessionUser } from "../support/factories";
import { type LossyProxy, startLossyProxy } from "../support/lossy-proxy";
import { type RouteServer, startRouteServer } from "../support/route-server";
import { type ControlOverrides, complianceResponder } from "../support/winrm-double/compliance-responder";
import type { HostState } from "../support/winrm-double/script-runner";
import { startWinRmDouble, type WinRmDouble } from "../support/winrm-double/server";

const RESULTS = "/api/appliances/scan-results";
const USER = "scanner";
const PASSWORD = "Sc4n-Outb0x-Passw0rd!";
/**
 * One loopback address per fake server, all on 5985 (the check-in's port for WinRM over HTTP); the third octet
 * is picked per run, so two test runs on one machine do not compete for the same address and port.
 */
const NET = `127.77.${randomInt(1, 255)}`;
const FS01 = `${NET}.11`;
const APP02 = `${NET}.12`;
const OLD04 = `${NET}.14`;
const SERVERS: Array<{ name: string; address: string; state: HostState }> = [
  { name: "fs01.clinic.test", address: FS01, state: "compliant" },
  { name: "app02.clinic.test", address: APP02, state: "non_compliant" },
  { name: "core03.clinic.test", address: `${NET}.13`, state: "unreadable" },
  { name: "old04.clinic.test", address: OLD04, state: "wrong_password" },
];
const STATUS_OF_STATE: Record<string, string> = {
  compliant: "pass",
  non_compliant: "fail",
  unreadable: "unknown",
  wrong_password: "error",
};
const EXPECTED: Record<string, string> = Object.fromEntries(
  SERVERS.map((s) => [s.address, STATUS_OF_STATE[s.state] ?? ""]),
);
const RESULTS_PER_SCAN = SERVERS.length * COMPLIANCE_CHECKS.length;

let server: RouteServer;
let double: WinRmDouble;
const overrides = new Map<string, ControlOverrides>();
const roots: string[] = [];
const proxies: LossyProxy[] = [];

beforeAll(async () => {
  double = await startWinRmDouble({
    hosts: SERVERS.map((s) => ({ name: s.name, address: s.address, port: 5985, state: s.state })),
    accounts: [{ domain: "CLINIC", user: USER, password: PASSWORD }],
    checkScriptResponder: complianceResponder((host) => overrides.get(host) ?? {}),
  });
  server = await startRouteServer([
    { method: "POST", path: "/api/appliances/checkin", handler: checkinRoute.POST },
    { method: "POST", path: "/api/provision/status", handler: statusRoute.POST },
    { method: "POST", path: RESULTS, handler: scanResultsRoute.POST },
    // The real process also runs domain discovery (there is no domain here: it reports that).
    { method: "POST", path: "/api/appliances/domain-discovered", handler: discoveredRoute.POST },
    { method: "POST", path: "/api/appliances/domain-discovery-failed", handler: discoveryFailedRoute.POST },
  ]);
});

afterEach(() => overrides.clear());

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await server?.close();
  await double?.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  await flushCheckinBuffers();
  await closeRedis();
  await closeQueues();
  await closePgPool();
  await disconnectDb();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A partner's site with one appliance (keys from its root secret), the double's servers as manual targets. */
async function setUp() {
  const rootSecret = generateRootSecret();
  const keys = deriveApplianceKeys(rootSecret);
  const partner = await makePartner();
  const partnerId = partner.partner.id;
  const { siteId, applianceId } = await makeApplianceWithKey(partnerId, { publicKey: keys.keyPair.publicKeyBase64 });
  await db().appliance.update({
    where: { id: applianceId },
    data: { apiKeyHash: hashSecret(keys.apiKey, APPLIANCE_KEY_PURPOSE) },
  });
  const credentials = new Map<string, string>();
  for (const s of SERVERS) {
    const created = await createSiteCredential(
      db(),
      partnerId,
      siteId,
      {
        credential_type: "winrm",
        credential_name: s.name,
        host: s.address,
        username: USER,
        domain: "CLINIC",
        password: PASSWORD,
        use_ssl: false,
      },
      { actorType: "system" },
    );
    credentials.set(s.address, created.id);
  }
  const root = mkdtempSync(path.join(tmpdir(), "osiris-scan-outbox-"));
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
    mac_address: "84:3A:5B:91:B6:71",
    hostname: "appliance",
  };
  const outboxDir = path.join(stateDir, "outbox");
  const partnerCaller = callerFor(sessionUser(partner.user));
  return {
    partnerId,
    siteId,
    applianceId,
    stateDir,
    outboxDir,
    config,
    proxy,
    /** The partner deletes the credential of the server at `address`: it is no longer a Windows target. */
    removeServer: (address: string) =>
      deleteSiteCredential(db(), partnerId, siteId, credentials.get(address) ?? "", { actorType: "system" }),
    /** "Scan now", as the partner presses it (tRPC sites.requestScan). */
    requestScan: () => partnerCaller.sites.requestScan({ siteId }),
    /** The reports journaled and not yet acknowledged (file names). */
    journaled: () => {
      try {
        return readdirSync(outboxDir).filter((n) => n.endsWith(".json"));
      } catch {
        return [];
      }
    },
    batches: () => db().complianceBatch.findMany({ where: { applianceId }, orderBy: { receivedAt: "asc" } }),
    history: () => db().complianceResult.count({ where: { siteId } }),
    matrix: () => getSiteCompliance(db(), partnerId, siteId),
    scanFlags: () => db().applianceTrigger.findMany({ where: { applianceId, kind: "immediate_scan" } }),
  };
}

/** hostname → check → status, from the partner's matrix. */
async function statuses(s: Awaited<ReturnType<typeof setUp>>) {
  const matrix = await s.matrix();
  return Object.fromEntries(
    matrix.hosts.map((h) => [h.hostname, Object.fromEntries(h.checks.map((c) => [c.check, c.status]))]),
  );
}

function everyControl(status: string) {
  return Object.fromEntries(COMPLIANCE_CHECKS.map((c) => [c, status]));
}

const EXPECTED_MATRIX = Object.fromEntries(Object.entries(EXPECTED).map(([h, st]) => [h, everyControl(st)]));

/**
 * The real daemon in this process with the options the CLI builds (its compliance wiring: the WinRM client,
 * the outbox), without Active Directory; quick outbox retries unless a clock is given.
 */
function startDaemon(config: ApplianceConfig, opts: { clock?: OutboxClock } = {}) {
  writeConfig(config); // the state dir as on an appliance: config.yaml beside the outbox
  const cmd = parseCliArgs(["run", "--state-dir", config.state_dir], {
    OSIRIS_SCAN_HOST_TIMEOUT_S: "15",
  } as unknown as NodeJS.ProcessEnv);
  if (cmd.kind !== "run") throw new Error("expected the run command");
  const lines: string[] = [];
  const controller = new AbortController();
  const cli = checkinDaemonOptions(cmd, { stdout: { write: () => true } as never });
  expect(cli.compliance?.runScript).toBe(winrmRunScript);
  expect(cli.compliance?.hostTimeoutMs).toBe(15_000);
  const daemon = new CheckinDaemon(config, {
    signal: controller.signal,
    pollIntervalMs: 300,
    timeoutMs: 20_000,
    backoffInitialMs: 100,
    backoffMaxMs: 300,
    log: (l) => lines.push(l),
    ...(cli.compliance ? { compliance: cli.compliance } : {}),
    outbox: opts.clock
      ? { stateDir: config.state_dir, clock: opts.clock }
      : { stateDir: config.state_dir, retryInitialMs: 200, retryMaxMs: 1_000 },
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

/** The Windows password as text, UTF-16, base64 or hex: in none of the state dir's files. */
function expectNoPasswordOnDisk(stateDir: string): void {
  const utf8 = Buffer.from(PASSWORD, "utf8");
  const forms = [
    utf8,
    Buffer.from(PASSWORD, "utf16le"),
    Buffer.from(utf8.toString("base64")),
    Buffer.from(utf8.toString("hex")),
  ];
  const files = filesUnder(stateDir);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const content = readFileSync(file);
    for (const form of forms) expect(content.includes(form), `${file} holds the Windows password`).toBe(false);
  }
}

describe("compliance scans through the appliance's outbox, against the real server and the WinRM double", () => {
  it("(a)+(e) Scan now → the matrix fills; the flag closes; a firewall turned off drifts and is notified", async () => {
    const s = await setUp();
    const { daemon, lines, stop } = startDaemon(s.config);
    try {
      await until("the first check-in with the four targets", () => daemon.targets().length === SERVERS.length);
      expect(await s.requestScan()).toEqual({ appliances: 1 });
      await until("the scan's batch stored", () => s.batches().then((b) => b.length === 1));

      // Every host × control, with what its state means (wrong password: "error" with the reason).
      expect(await statuses(s)).toEqual(EXPECTED_MATRIX);
      const matrix = await s.matrix();
      const old04 = matrix.hosts.find((h) => h.hostname === OLD04);
      expect(old04?.checks[0]?.error).toMatch(/rejected|password|credential/i);
      const app02Firewall = matrix.hosts.find((h) => h.hostname === APP02)?.checks.find((c) => c.check === "firewall");
      expect(app02Firewall).toMatchObject({
        status: "fail",
        hipaa_control: complianceControl("firewall").hipaa_control,
      });
      expect(await s.history()).toBe(RESULTS_PER_SCAN);

      // The batch carried the scan's completion: the flag is completed, and stays so over further check-ins.
      const [batch] = await s.batches();
      expect(batch?.scanCompletedAt).toBeInstanceOf(Date);
      const appliance = await db().appliance.findUniqueOrThrow({ where: { id: s.applianceId } });
      expect(appliance.lastScanCompletedAt?.toISOString()).toBe(batch?.scanCompletedAt?.toISOString());
      expect((await s.scanFlags()).map((f) => f.state)).toEqual(["completed"]);
      const checkins = daemon.stats.checkinSuccesses;
      await until("three more check-ins", () => daemon.stats.checkinSuccesses >= checkins + 3);
      expect(daemon.stats.flags.immediate_scan).toMatchObject({ deliveries: 1, runs: 1, failures: 0 });
      expect(daemon.stats.lastScanCompletedAt).toBeInstanceOf(Date);
      expect(s.journaled()).toEqual([]);
      expect(
        lines.some((l) => /compliance scan scan-\S+ done: 4 host\(s\); 6 pass, 6 fail, 6 unknown, 6 error/.test(l)),
      ).toBe(true);

      // (e) fs01's firewall is turned off; the partner presses "Scan now" again.
      overrides.set("fs01.clinic.test", { firewall: "fail" });
      await s.requestScan();
      await until("the second scan's batch", () => s.batches().then((b) => b.length === 2));
      expect(await statuses(s)).toEqual({
        ...EXPECTED_MATRIX,
        [FS01]: { ...everyControl("pass"), firewall: "fail" },
      });
      const drift = await listComplianceDrift(db(), s.partnerId, s.siteId);
      expect(drift.drift.map((d) => [d.hostname, d.check, d.from, d.to])).toEqual([[FS01, "firewall", "pass", "fail"]]);
      const firewall = complianceControl("firewall");
      const notes = (await listNotifications(db(), s.partnerId)).items.filter((n) => n.kind === "compliance.failing");
      // One for the first scan (app02's six controls), one for the drift naming the host and the control.
      expect(notes).toHaveLength(2);
      expect(notes[0]?.title).toMatch(/^1 control started failing on 1 host/);
      expect(notes[0]?.body).toContain(`${FS01}: ${firewall.name} (${firewall.hipaa_control}) failing`);
      expect((await s.scanFlags()).map((f) => f.state)).toEqual(["completed", "completed"]);
      expect(await s.history()).toBe(2 * RESULTS_PER_SCAN);
      expectNoPasswordOnDisk(s.stateDir);
    } catch (err) {
      console.error(lines.join("\n"));
      throw err;
    } finally {
      await stop();
    }
    expect(lines.join("\n")).not.toContain(PASSWORD);
  }, 150_000);

  it("(b) the answer to scan-results lost after the server stored the batch: sent again, stored once", async () => {
    const s = await setUp();
    let dropped = 0;
    s.proxy.policy = ({ path: p }) => (p === RESULTS && dropped++ === 0 ? "drop-answer" : "pass");
    const { daemon, lines, stop } = startDaemon(s.config);
    try {
      await until("the targets", () => daemon.targets().length === SERVERS.length);
      await s.requestScan();
      await until("two posts of the batch", () => s.proxy.to(RESULTS).length === 2 && s.journaled().length === 0);
      expect(s.proxy.to(RESULTS).map((r) => [r.mode, r.upstreamStatus])).toEqual([
        ["drop-answer", 200],
        ["pass", 200],
      ]);
      expect(
        lines.some((l) => /compliance results scan-\S+ \(24 results.*\) not delivered .*kept in the outbox/.test(l)),
      ).toBe(true);
      expect(await s.batches()).toHaveLength(1);
      expect(await s.history()).toBe(RESULTS_PER_SCAN); // the repeat stored nothing more
      expect(await statuses(s)).toEqual(EXPECTED_MATRIX);
      expectNoPasswordOnDisk(s.stateDir);
    } catch (err) {
      console.error(lines.join("\n"));
      throw err;
    } finally {
      await stop();
    }
    expect(lines.join("\n")).not.toContain(PASSWORD);
  }, 120_000);

  it("(c) the appliance process SIGKILLed with the batch journaled and unacknowledged: replayed at restart, counted once", async () => {
    const s = await setUp();
    writeConfig(s.config);
    // The scan-results post never reaches the server: the appliance dies while it is in flight.
    s.proxy.policy = ({ path: p }) => (p === RESULTS ? "hold" : "pass");
    const env = {
      OSIRIS_POLL_INTERVAL_S: "0.3",
      OSIRIS_HTTP_TIMEOUT_S: "20",
      // No domain here: discovery asks a DNS server that is not there, and reports that.
      OSIRIS_DNS_SERVERS: "127.0.0.1:9",
      OSIRIS_SCAN_HOST_TIMEOUT_S: "15",
    };
    const first = spawnAppliance(["run", "--state-dir", s.stateDir], { env });
    let second: ReturnType<typeof spawnAppliance> | undefined;
    try {
      await until("the check-in with the four targets", () => /check-in ok .*4 Windows targets/.test(first.stdout()));
      await s.requestScan();
      await until("the scan-results post in flight", () => s.proxy.to(RESULTS).length === 1);
      const journaled = s.journaled().filter((n) => n.endsWith("-scan-results.json"));
      expect(journaled).toHaveLength(1);
      const file = path.join(s.outboxDir, journaled[0] as string);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const body = JSON.parse(readFileSync(file, "utf8")).body as {
        appliance_id: string;
        batch_id: string;
        results: unknown[];
        scan_completed_at?: string;
      };
      expect(body.appliance_id).toBe(s.applianceId);
      expect(body.results).toHaveLength(RESULTS_PER_SCAN);
      expect(body.scan_completed_at).toBeDefined();
      expectNoPasswordOnDisk(s.stateDir);

      first.child.kill("SIGKILL");
      expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
      expect(s.journaled().filter((n) => n.endsWith("-scan-results.json"))).toEqual(journaled);
      expect(await s.batches()).toEqual([]); // the server never saw it

      s.proxy.policy = () => "pass";
      second = spawnAppliance(["run", "--state-dir", s.stateDir], { env });
      await until("the replayed batch stored", () => s.batches().then((b) => b.length === 1));
      await until("the replayed report deleted", () => !s.journaled().includes(journaled[0] as string));
      const [stored] = await s.batches();
      expect(stored?.batchId).toBe(body.batch_id); // the batch journaled before the kill, not a new scan
      expect(await s.history()).toBe(RESULTS_PER_SCAN);
      expect(await statuses(s)).toEqual(EXPECTED_MATRIX);
      expect(second.stdout()).toMatch(/outbox: \d+ report\(s\) journaled before this start, sending them again/);
      expect(s.proxy.to(RESULTS).map((r) => r.mode)).toEqual(["hold", "pass"]);
      // Its completion closed the flag the killed process had received.
      expect((await s.scanFlags()).map((f) => f.state)).toEqual(["completed"]);
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
    expect(`${first.stdout()}${first.stderr()}${second?.stdout()}${second?.stderr()}`).not.toContain(PASSWORD);
  }, 150_000);

  it("(d) Central Command unavailable for an hour (503): the batch stays on disk and is delivered when it is back", async () => {
    const s = await setUp();
    // The outbox's clock: each backoff advances it by the delay it schedules, and waits 20 ms of real time.
    let elapsedMs = 0;
    const T0 = Date.now();
    const waits: ScheduledDelay[] = [];
    const clock: OutboxClock = {
      now: () => new Date(T0 + elapsedMs),
      sleep: async (delay, signal) => {
        waits.push(delay);
        elapsedMs += delay.delayMs;
        await sleepUnlessAborted({ kind: delay.kind, baseMs: 20, delayMs: 20 }, signal);
      },
    };
    let down = true;
    let daemon: CheckinDaemon | undefined;
    // Central Command goes down (every endpoint 503) right after the check-in that delivered the scan flag.
    s.proxy.policy = () => (down && (daemon?.stats.flags.immediate_scan.deliveries ?? 0) > 0 ? "unavailable" : "pass");
    const started = startDaemon(s.config, { clock });
    daemon = started.daemon;
    const { lines, stop } = started;
    try {
      await until("the targets", () => daemon?.targets().length === SERVERS.length);
      await s.requestScan();
      await until("an hour of refused attempts", () => elapsedMs >= 60 * 60_000);
      const journaled = s.journaled();
      expect(journaled).toEqual([expect.stringMatching(/^\d{12}-scan-results\.json$/)]);
      expect(await s.batches()).toEqual([]);
      // Backoff from 1 min doubling (±10 %), never past the 1 h cap.
      expect(waits[0]?.baseMs).toBe(60_000);
      expect(waits.map((w) => w.baseMs).slice(0, 6)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
      expect(waits.every((w) => w.delayMs <= 60 * 60_000)).toBe(true);
      expect(s.proxy.to(RESULTS).every((r) => r.mode === "unavailable")).toBe(true);
      expect(lines.some((l) => /compliance results .* not delivered \(.*503.*\); kept in the outbox/.test(l))).toBe(
        true,
      );
      expectNoPasswordOnDisk(s.stateDir);

      down = false;
      await until("the batch delivered", () => s.batches().then((b) => b.length === 1));
      await until("the report deleted", () => s.journaled().length === 0);
      expect(await s.history()).toBe(RESULTS_PER_SCAN);
      expect(await statuses(s)).toEqual(EXPECTED_MATRIX);
      expect(s.proxy.to(RESULTS).at(-1)).toMatchObject({ mode: "pass", upstreamStatus: 200 });
      await until("the flag completed", () => s.scanFlags().then((f) => f.every((x) => x.state === "completed")));
      expect(daemon.stats.flags.immediate_scan.deliveries).toBe(1);
    } catch (err) {
      console.error(lines.join("\n"));
      throw err;
    } finally {
      await stop();
    }
    expect(lines.join("\n")).not.toContain(PASSWORD);
  }, 150_000);

  it("(g) a server removed from the site between its scan and the delivery: the batch is refused (422), set aside and logged", async () => {
    const s = await setUp();
    let down = true;
    s.proxy.policy = ({ path: p }) => (p === RESULTS && down ? "unavailable" : "pass");
    const { daemon, lines, stop } = startDaemon(s.config);
    try {
      await until("the targets", () => daemon.targets().length === SERVERS.length);
      await s.requestScan();
      await until("the batch journaled and refused once", () => s.proxy.to(RESULTS).length >= 1);
      await s.removeServer(OLD04);
      down = false;
      const refusedDir = path.join(s.outboxDir, "refused");
      const [refused] = await until("the batch set aside", () => {
        const files = readdirSync(refusedDir).filter((n) => n.endsWith("-scan-results.json"));
        return files.length > 0 ? files : undefined;
      });
      expect(s.journaled()).toEqual([]);
      const kept = JSON.parse(readFileSync(path.join(refusedDir, refused as string), "utf8"));
      expect(kept.refused).toMatchObject({ status: 422, error: expect.stringContaining(OLD04) });
      expect(kept.body.results).toHaveLength(RESULTS_PER_SCAN);
      const refusal = new RegExp(
        `compliance results scan-\\S+ \\(24 results, the scan's last batch\\) refused by Central Command, not retried ` +
          `\\(Not a Windows target of this site: ${OLD04.replaceAll(".", "\\.")}\\..*\\): ` +
          "a host in it is no longer one of the site's Windows targets",
      );
      expect(lines.some((l) => refusal.test(l))).toBe(true);
      // Nothing of it was stored, and the outbox went on (it is not blocked by the refusal).
      expect(await s.batches()).toEqual([]);
      expect(await s.history()).toBe(0);
      expect(s.proxy.to(RESULTS).at(-1)).toMatchObject({ mode: "pass", upstreamStatus: 422 });
      expectNoPasswordOnDisk(s.stateDir);
    } catch (err) {
      console.error(lines.join("\n"));
      throw err;
    } finally {
      await stop();
    }
    expect(lines.join("\n")).not.toContain(PASSWORD);
  }, 120_000);
});
