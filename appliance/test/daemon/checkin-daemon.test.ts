import { readFileSync, statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SealedSecretBinding } from "../../../server/contracts";
import { KEY_REJECTED_MESSAGE } from "../../src/central-command/endpoints";
import { type ApplianceConfig, configPath, readConfig, writeConfig } from "../../src/config/config-file";
import { deriveApplianceKeyPair, deriveApplianceKeys, generateRootSecret } from "../../src/crypto/appliance-key";
import { sealSecret } from "../../src/crypto/sealed-box";
import { CheckinDaemon, type CheckinDaemonOptions, runCheckinDaemon } from "../../src/daemon/checkin-daemon";
import { ENUMERATION_PLACEHOLDER_MESSAGE, type FlagContext } from "../../src/daemon/flag-runner";
import {
  BACKOFF_MAX_MS,
  backoffBaseMs,
  jittered,
  type ScheduledDelay,
  type Sleep,
  sleepUnlessAborted,
} from "../../src/daemon/schedule";
import { APPLIANCE_VERSION } from "../../src/version";
import { type FakeCentralCommand, SITE_ID, startFakeCentralCommand } from "../support/fake-central-command";
import { closedPort, startHttpServer } from "../support/http-server";
import { provisionedConfig, TEST_APPLIANCE_ID, TEST_HOSTNAME } from "../support/provisioned-config";
import { makeTempStateDir, type TempStateDir } from "../support/temp-state-dir";
import { until as untilEvery } from "../support/until";

/** The in-process daemon moves fast: poll every 5 ms, give up after 5 s. */
const until = (condition: () => boolean, timeoutMs = 5000) => untilEvery(condition, timeoutMs, 5);

const APPLIANCE_ID = TEST_APPLIANCE_ID;
const HOST = TEST_HOSTNAME;

let fake: FakeCentralCommand;
let rootSecret: string;
let apiKey: string;
let publicKey: string;

beforeEach(async () => {
  fake = await startFakeCentralCommand();
  rootSecret = generateRootSecret();
  const keys = deriveApplianceKeys(rootSecret);
  apiKey = keys.apiKey;
  publicKey = keys.keyPair.publicKeyBase64;
});
afterEach(async () => {
  await fake.close();
});

function config(overrides: Partial<ApplianceConfig> = {}): ApplianceConfig {
  return provisionedConfig({ rootSecret, apiEndpoint: fake.url, stateDir: "/var/lib/msp" }, overrides);
}

/**
 * A scheduler that records every delay the daemon asks for and waits only `realMs` (so a test sees hours
 * of schedule in milliseconds), stopping the daemon after `stopAfter` delays.
 */
function recordingScheduler(stopAfter = Number.POSITIVE_INFINITY, realMs = 1) {
  const delays: ScheduledDelay[] = [];
  const controller = new AbortController();
  const sleep: Sleep = (delay, signal) => {
    delays.push({ ...delay });
    if (delays.length >= stopAfter) controller.abort();
    return sleepUnlessAborted({ ...delay, delayMs: realMs }, signal);
  };
  return { delays, sleep, signal: controller.signal, stop: () => controller.abort() };
}

function start(overrides: Partial<ApplianceConfig>, opts: CheckinDaemonOptions) {
  const lines: string[] = [];
  const controller = new AbortController();
  const daemon = new CheckinDaemon(config(overrides), {
    hostname: () => HOST,
    log: (l) => lines.push(l),
    ...opts,
    signal: opts.signal ?? controller.signal,
  });
  const running = daemon.run();
  const stop = async () => {
    controller.abort();
    await running;
  };
  return { daemon, lines, running, stop };
}

function expectWithinJitter(delay: ScheduledDelay | undefined, baseMs: number, capMs = Number.POSITIVE_INFINITY) {
  expect(delay).toBeDefined();
  if (!delay) return;
  expect(delay.baseMs).toBe(baseMs);
  expect(delay.delayMs).toBeGreaterThanOrEqual(Math.floor(baseMs * 0.9));
  expect(delay.delayMs).toBeLessThanOrEqual(Math.min(capMs, Math.ceil(baseMs * 1.1)));
}

describe("jitter and backoff arithmetic", () => {
  it("jittered stays within ±10 % and reaches both ends", () => {
    expect(jittered(60_000, () => 0)).toBe(54_000);
    expect(jittered(60_000, () => 0.5)).toBe(60_000);
    expect(jittered(60_000, () => 0.999_999_9)).toBe(66_000);
    for (let i = 0; i < 1000; i++) {
      const ms = jittered(60_000, Math.random);
      expect(ms).toBeGreaterThanOrEqual(54_000);
      expect(ms).toBeLessThanOrEqual(66_000);
    }
  });

  it("backoff doubles from the start and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffBaseMs(n, 5_000, 300_000))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });
});

describe("check-in daemon", () => {
  it("reports ready once, then checks in with the appliance key, id, host name, version and uptime", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey, publicKey);
    const { daemon, lines, stop } = start({}, { pollIntervalMs: 20, uptimeSeconds: () => 1234.7 });
    await until(() => daemon.stats.checkinSuccesses >= 3);
    await stop();

    expect(fake.statuses).toEqual([{ apiKey, body: { appliance_id: APPLIANCE_ID, status: "ready", progress: 100 } }]);
    expect(fake.checkins.length).toBeGreaterThanOrEqual(3);
    for (const checkin of fake.checkins) {
      expect(checkin.apiKey).toBe(apiKey);
      expect(checkin.body).toEqual({
        appliance_id: APPLIANCE_ID,
        hostname: HOST,
        agent_version: APPLIANCE_VERSION,
        uptime_s: 1234,
      });
    }
    expect(fake.heartbeats).toEqual([]); // check-ins replace the old heartbeat
    expect(fake.requests.every((r) => r.authorization === `Bearer ${apiKey}`)).toBe(true);
    expect(fake.problems).toEqual([]);
    expect(lines[0]).toMatch(
      new RegExp(
        `check-in daemon started: site ${SITE_ID}, appliance ${APPLIANCE_ID}, endpoint .*, version ${APPLIANCE_VERSION}`,
      ),
    );
    expect(
      lines.filter((l) => / check-in ok \(server time .+, 0 Windows targets\); next in [\d.]+ s$/.test(l)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/ check-in daemon stopped$/);
    expect(lines.join("\n")).not.toContain(apiKey);
  });

  it("sends the machine's uptime and leaves out a host name the contract would refuse", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    const { daemon, stop } = start({}, { pollIntervalMs: 20, hostname: () => "bad host name!" });
    await until(() => daemon.stats.checkinSuccesses >= 1);
    await stop();
    const body = fake.checkins[0]?.body;
    expect(body?.hostname).toBeUndefined();
    expect(Number.isInteger(body?.uptime_s)).toBe(true);
    expect(fake.problems).toEqual([]);
  });

  it("schedules each check-in one poll interval later with ±10 % jitter, following the server's poll_interval", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    fake.pollInterval = 45;
    const scheduler = recordingScheduler();
    const { daemon, lines, stop } = start({ poll_interval: 30 }, { sleep: scheduler.sleep });
    expect(daemon.stats.pollIntervalMs).toBe(30_000); // the config's until an answer says otherwise
    expect(lines[0]).toMatch(/check-in every 30 s \(±10 %\)$/);

    await until(() => scheduler.delays.length >= 30);
    fake.pollInterval = 120;
    const changedAt = fake.checkins.length;
    await until(() => scheduler.delays.length >= 60);
    await stop();

    const first = scheduler.delays.slice(0, 30);
    for (const delay of first) {
      expect(delay.kind).toBe("poll");
      expectWithinJitter(delay, 45_000);
    }
    const distinct = new Set(first.map((d) => d.delayMs));
    expect(distinct.size).toBeGreaterThan(10); // really jittered, not a fixed offset
    // each delay follows the answer it came with: from the first answer with 120 s on, the base is 120 s
    for (const delay of scheduler.delays.slice(changedAt)) expectWithinJitter(delay, 120_000);
    expect(lines.filter((l) => l.endsWith("poll interval is now 45 s (set by Central Command)"))).toHaveLength(1);
    expect(lines.filter((l) => l.endsWith("poll interval is now 120 s (set by Central Command)"))).toHaveLength(1);
    expect(daemon.stats.pollIntervalMs).toBe(120_000);
  });

  it("uses the full ±10 % range (injected randomness) and lets OSIRIS_POLL_INTERVAL_S override every interval", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    fake.pollInterval = 45;
    const randoms = [0, 0.25, 0.5, 0.75, 0.999_999_9];
    let i = 0;
    const scheduler = recordingScheduler(5);
    await runCheckinDaemon(config(), {
      sleep: scheduler.sleep,
      signal: scheduler.signal,
      random: () => randoms[i++ % randoms.length] ?? 0.5,
      pollIntervalMs: 7_000,
      log: () => {},
    });
    expect(scheduler.delays.map((d) => [d.kind, d.baseMs, d.delayMs])).toEqual([
      ["poll", 7_000, 6_300],
      ["poll", 7_000, 6_650],
      ["poll", 7_000, 7_000],
      ["poll", 7_000, 7_350],
      ["poll", 7_000, 7_700],
    ]);
  });

  it("backs off exponentially (5 s doubling, capped at 5 min) while the server is unreachable", async () => {
    const port = await closedPort();
    const scheduler = recordingScheduler(12);
    const lines: string[] = [];
    const daemon = new CheckinDaemon(config({ api_endpoint: `http://127.0.0.1:${port}` }), {
      sleep: scheduler.sleep,
      signal: scheduler.signal,
      log: (l) => lines.push(l),
    });
    await daemon.run();

    const expected = [5, 10, 20, 40, 80, 160, 300, 300, 300, 300, 300, 300].map((s) => s * 1000);
    expect(scheduler.delays.map((d) => d.kind)).toEqual(expected.map(() => "backoff"));
    scheduler.delays.forEach((delay, n) => {
      expectWithinJitter(delay, expected[n] ?? 0, BACKOFF_MAX_MS);
    });
    expect(daemon.stats.consecutiveFailures).toBe(12);
    expect(daemon.stats.checkinSuccesses).toBe(0);
    expect(lines.filter((l) => /check-in failed: Failed to connect to server \(.*ECONNREFUSED/.test(l))).toHaveLength(
      12,
    );
    expect(lines.filter((l) => l.includes("status report failed: Failed to connect to server"))).toHaveLength(12);
  });

  it("starts the backoff at the poll interval when that is shorter than 5 s", async () => {
    const port = await closedPort();
    const scheduler = recordingScheduler(3);
    await runCheckinDaemon(config({ api_endpoint: `http://127.0.0.1:${port}`, poll_interval: 2 }), {
      sleep: scheduler.sleep,
      signal: scheduler.signal,
      log: () => {},
    });
    expect(scheduler.delays.map((d) => d.baseMs)).toEqual([2_000, 4_000, 8_000]);
  });

  it("backs off on 503, dropped connections and 429, honours Retry-After, and recovers after a success", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    fake.checkinScript = [
      { kind: "status", status: 503 },
      { kind: "status", status: 503 },
      { kind: "drop" },
      { kind: "status", status: 502, error: "Bad gateway" },
      { kind: "ok" },
      { kind: "ok" },
      { kind: "status", status: 503, retryAfter: "42" },
      { kind: "status", status: 429, error: "Slow down", retryAfter: "600" },
      { kind: "ok" },
    ];
    const scheduler = recordingScheduler(9);
    const lines: string[] = [];
    const daemon = new CheckinDaemon(config(), {
      sleep: scheduler.sleep,
      signal: scheduler.signal,
      log: (l) => lines.push(l),
    });
    await daemon.run();

    const d = scheduler.delays;
    expect(d.map((x) => x.kind)).toEqual([
      "backoff",
      "backoff",
      "backoff",
      "backoff",
      "poll",
      "poll",
      "backoff",
      "backoff",
      "poll",
    ]);
    expectWithinJitter(d[0], 5_000);
    expectWithinJitter(d[1], 10_000);
    expectWithinJitter(d[2], 20_000);
    expectWithinJitter(d[3], 40_000);
    expectWithinJitter(d[4], 60_000); // recovered: the normal interval again
    expectWithinJitter(d[5], 60_000);
    // the next failure starts the backoff afresh, but never sooner than Retry-After
    expect(d[6]).toMatchObject({ baseMs: 5_000, retryAfterMs: 42_000, delayMs: 42_000 });
    // Retry-After is honoured up to the cap
    expect(d[7]).toMatchObject({ baseMs: 10_000, retryAfterMs: BACKOFF_MAX_MS, delayMs: BACKOFF_MAX_MS });
    expectWithinJitter(d[8], 60_000);
    expect(daemon.stats).toMatchObject({ checkinSuccesses: 3, checkinFailures: 6, consecutiveFailures: 0 });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/check-in failed: Check-in unavailable \(HTTP 503\); next attempt in [\d.]+ s$/),
        expect.stringMatching(/check-in failed: Failed to connect to server \(.+\); next attempt in/),
        expect.stringMatching(/check-in failed: Bad gateway \(HTTP 502\); next attempt in/),
        expect.stringMatching(/check-in failed: Slow down \(HTTP 429\); try again in 600 s; next attempt in 300 s$/),
      ]),
    );
    expect(fake.problems).toEqual([]);
  });

  it("on 401 logs that the key was rejected, waits the cap, keeps running, and recovers when the key is known again", async () => {
    const scheduler = recordingScheduler();
    const { daemon, lines, stop } = start({}, { sleep: scheduler.sleep });
    await until(() => scheduler.delays.length >= 3);
    expect(daemon.stats.keyRejected).toBe(true);
    for (const delay of scheduler.delays) {
      expect(delay.kind).toBe("key-rejected");
      expectWithinJitter(delay, BACKOFF_MAX_MS, BACKOFF_MAX_MS);
    }
    expect(lines.filter((l) => l.includes(`check-in failed: ${KEY_REJECTED_MESSAGE} (HTTP 401)`)).length).toBe(
      daemon.stats.checkinFailures,
    );
    expect(lines.some((l) => l.endsWith("status report failed: Invalid appliance key (HTTP 401)"))).toBe(true);

    fake.registerAppliance(APPLIANCE_ID, apiKey); // e.g. the key is restored server-side
    await until(() => daemon.stats.checkinSuccesses >= 2);
    await stop();
    expect(daemon.stats.keyRejected).toBe(false);
    expect(daemon.stats.readyReported).toBe(true);
    expect(scheduler.delays.at(-1)?.kind).toBe("poll");
    expect(lines.join("\n")).not.toContain(apiKey);
  });

  it("treats 403, 400 and an answer that breaks the contract as failures with backoff", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    fake.checkinScript = [
      { kind: "status", status: 403, error: "Not your appliance" },
      { kind: "status", status: 400, error: "Invalid request: appliance_id: Required" },
      { kind: "body", body: { status: "ok", windows_targets: "nope" } },
      { kind: "ok" },
    ];
    const scheduler = recordingScheduler(4);
    const lines: string[] = [];
    await runCheckinDaemon(config(), { sleep: scheduler.sleep, signal: scheduler.signal, log: (l) => lines.push(l) });
    expect(scheduler.delays.map((d) => [d.kind, d.baseMs])).toEqual([
      ["backoff", 5_000],
      ["backoff", 10_000],
      ["backoff", 20_000],
      ["poll", 60_000],
    ]);
    expect(lines.some((l) => l.includes("check-in refused: Not your appliance (HTTP 403); this key belongs to"))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes("check-in rejected as malformed: Invalid request: appliance_id"))).toBe(true);
    expect(lines.some((l) => l.includes("check-in failed: Unexpected response from server: "))).toBe(true);
  });

  it("a real 403: the key belongs to another appliance", async () => {
    fake.registerAppliance(`${SITE_ID}-somebody-else`, apiKey);
    const scheduler = recordingScheduler(2);
    const lines: string[] = [];
    await runCheckinDaemon(config(), { sleep: scheduler.sleep, signal: scheduler.signal, log: (l) => lines.push(l) });
    expect(scheduler.delays.map((d) => d.kind)).toEqual(["backoff", "backoff"]);
    expect(lines.filter((l) => l.includes("check-in refused: Not your appliance (HTTP 403)"))).toHaveLength(2);
    expect(fake.problems).toEqual([]);
  });
});

describe("Windows targets (credential pull)", () => {
  const DC_PASSWORD = "Dc01-Winter2026!";
  const FS_PASSWORD = "Fs01-Spring2026?";

  it("unseals sealed passwords, refuses plain ones (a downgrade), and replaces the targets on every check-in", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey, publicKey);
    fake.windowsCredentials = [
      { hostname: "dc01.clinic.local", username: "CLINIC\\svc-scan", password: DC_PASSWORD, use_ssl: true },
      { hostname: "fs01", username: "administrator", password: FS_PASSWORD, deliver: "plain", transport: "basic" },
    ];
    const { daemon, lines, stop } = start({}, { pollIntervalMs: 10 });
    await until(() => daemon.stats.checkinSuccesses >= 1);

    const wire = fake.checkins[0]?.answer.windows_targets ?? [];
    expect(wire[0]?.sealed_password).toBeDefined();
    expect(wire[0]?.password).toBeUndefined();
    expect(JSON.stringify(wire[0])).not.toContain(DC_PASSWORD);
    expect(wire[1]?.password).toBe(FS_PASSWORD);
    // The plain password is refused, and the refusal reported at the next check-in.
    await until(() => daemon.stats.checkinSuccesses >= 2);
    expect(fake.checkins[1]?.body.unusable_targets).toEqual([
      {
        hostname: "fs01",
        credential_id: "cred-fs01",
        reason: "it came with a plain password; this appliance accepts sealed passwords only",
      },
    ]);

    const summary = () =>
      daemon.targets().map((t) => ({
        hostname: t.hostname,
        username: t.username,
        password: t.password.reveal(),
        use_ssl: t.use_ssl,
        port: t.port,
        transport: t.transport,
        sealed: t.sealed,
      }));
    expect(summary()).toEqual([
      {
        hostname: "dc01.clinic.local",
        username: "CLINIC\\svc-scan",
        password: DC_PASSWORD,
        use_ssl: true,
        port: 5986,
        transport: "ntlm",
        sealed: true,
      },
    ]);

    // removed server-side: gone from memory at the next check-in; a rotated password replaces the old one
    fake.windowsCredentials = [
      { hostname: "dc01.clinic.local", username: "CLINIC\\svc-scan", password: "Rotated-1", use_ssl: true },
    ];
    let seen = daemon.stats.checkinSuccesses;
    await until(() => daemon.stats.checkinSuccesses >= seen + 2);
    expect(summary().map((t) => [t.hostname, t.password])).toEqual([["dc01.clinic.local", "Rotated-1"]]);

    fake.windowsCredentials = [];
    seen = daemon.stats.checkinSuccesses;
    await until(() => daemon.stats.checkinSuccesses >= seen + 2);
    expect(daemon.targets()).toEqual([]);
    await stop();

    const log = lines.join("\n");
    expect(log).toContain("Windows targets now 1 (added dc01.clinic.local)");
    expect(log).toContain("not using Windows target fs01: it came with a plain password");
    expect(log).toContain("Windows targets now 0 (removed dc01.clinic.local)");
    for (const secret of [DC_PASSWORD, FS_PASSWORD, "Rotated-1", "svc-scan", "administrator", apiKey]) {
      expect(log).not.toContain(secret);
    }
    expect(fake.problems).toEqual([]);
  });

  it("drops a target whose sealed password cannot be opened, naming only the host", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey, publicKey);
    const otherKey = deriveApplianceKeys(generateRootSecret()).keyPair.publicKeyBase64;
    const bound = (hostname: string, overrides: Partial<SealedSecretBinding> = {}) => ({
      applianceId: APPLIANCE_ID,
      credentialId: `cred-${hostname}`,
      hostname,
      username: "CLINIC\\other",
      ...overrides,
    });
    fake.windowsCredentials = [
      { hostname: "dc01", username: "CLINIC\\svc-scan", password: DC_PASSWORD },
      {
        hostname: "ws07",
        username: "CLINIC\\other",
        password: "unused",
        deliver: { sealed_password: sealSecret("Ws07-Secret!", otherKey, bound("ws07")) },
      },
      {
        hostname: "ws08",
        username: "CLINIC\\other",
        password: "unused",
        deliver: {
          sealed_password: sealSecret("Ws08-Secret!", publicKey, bound("ws08", { applianceId: `${SITE_ID}-other` })),
        },
      },
      {
        // sealed for this appliance, but for another host: moved envelopes do not open
        hostname: "ws10",
        username: "CLINIC\\other",
        password: "unused",
        deliver: { sealed_password: sealSecret("Ws10-Secret!", publicKey, bound("fs99.clinic.local")) },
      },
      { hostname: "ws09", username: "CLINIC\\other", password: "unused", deliver: { sealed_password: "AQID" } },
    ];
    const { daemon, lines, stop } = start({}, { pollIntervalMs: 10 });
    await until(() => daemon.stats.checkinSuccesses >= 1);
    await stop();

    expect(daemon.stats.droppedTargets).toBeGreaterThanOrEqual(4);
    const dropped = lines.filter((l) => l.includes("not using Windows target"));
    for (const host of ["ws07", "ws08", "ws09", "ws10"]) {
      expect(
        dropped.some((l) =>
          l.endsWith(
            `not using Windows target ${host}: its sealed password did not open (sealed for another appliance or target, or altered)`,
          ),
        ),
      ).toBe(true);
    }
    expect(lines.some((l) => l.includes("Windows targets now 1 (added dc01)"))).toBe(true);
    const log = lines.join("\n");
    for (const secret of [DC_PASSWORD, "Ws07-Secret!", "Ws08-Secret!", "Ws10-Secret!", "svc-scan", "CLINIC\\other"]) {
      expect(log).not.toContain(secret);
    }
  });

  it("forgets the targets as soon as its key is rejected (a revoked appliance keeps no password)", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey, publicKey);
    fake.windowsCredentials = [{ hostname: "dc01", username: "u", password: DC_PASSWORD }];
    const { daemon, lines, stop } = start({}, { pollIntervalMs: 10, backoffMaxMs: 10 });
    await until(() => daemon.targets().length === 1);
    fake.checkinDown = { kind: "status", status: 401, error: "This appliance was revoked by its partner." };
    await until(() => daemon.stats.keyRejected);
    expect(daemon.targets()).toEqual([]);
    expect(lines.some((l) => l.includes("Windows targets dropped (1): this appliance's key was rejected"))).toBe(true);
    await stop();
  });

  it("forgets the targets when stopped", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey, publicKey);
    fake.windowsCredentials = [{ hostname: "dc01", username: "u", password: DC_PASSWORD }];
    const { daemon, stop } = start({}, { pollIntervalMs: 10 });
    await until(() => daemon.targets().length === 1);
    await stop();
    expect(daemon.targets()).toEqual([]);
  });
});

/** A handler that blocks until released, counting calls and the most that ran at once. */
function gatedHandler() {
  const gates: (() => void)[] = [];
  const state = { calls: 0, active: 0, maxActive: 0 };
  const handler = async (_ctx: FlagContext) => {
    state.calls += 1;
    state.active += 1;
    state.maxActive = Math.max(state.maxActive, state.active);
    await new Promise<void>((resolve) => gates.push(resolve));
    state.active -= 1;
  };
  const release = () => {
    for (const open of gates.splice(0)) open();
  };
  return { handler, state, release, waiting: () => gates.length };
}

describe("check-in flags", () => {
  it("runs a handler once per delivery, in the background, never twice at once (a repeat runs after)", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    const enumeration = gatedHandler();
    const { daemon, lines, stop } = start({}, { pollIntervalMs: 10, handlers: { enumeration: enumeration.handler } });
    await until(() => daemon.stats.checkinSuccesses >= 2);
    expect(enumeration.state.calls).toBe(0);

    fake.flags.enumeration = true;
    await until(() => enumeration.state.calls === 1);
    // the loop is not blocked by the running handler, and the cleared flag does not start it again
    const seen = daemon.stats.checkinSuccesses;
    await until(() => daemon.stats.checkinSuccesses >= seen + 3);
    expect(enumeration.state.calls).toBe(1);

    // delivered twice more while it runs: not re-entered
    for (let n = 0; n < 2; n++) {
      const deliveries = daemon.stats.flags.enumeration.deliveries;
      fake.flags.enumeration = true;
      await until(() => daemon.stats.flags.enumeration.deliveries === deliveries + 1);
    }
    expect(enumeration.state.calls).toBe(1);
    expect(daemon.stats.flags.enumeration).toMatchObject({ deliveries: 3, runs: 1, running: true, pending: true });
    expect(lines.filter((l) => l.includes("enumeration requested while one is running"))).toHaveLength(1);

    // released: the repeated request runs once (the two repeats coalesce), then nothing more
    enumeration.release();
    await until(() => enumeration.state.calls === 2 && enumeration.waiting() === 1);
    enumeration.release();
    await until(() => !daemon.stats.flags.enumeration.running);
    const after = daemon.stats.checkinSuccesses;
    await until(() => daemon.stats.checkinSuccesses >= after + 3);
    await stop();

    expect(enumeration.state).toMatchObject({ calls: 2, maxActive: 1 });
    expect(daemon.stats.flags.enumeration).toMatchObject({ deliveries: 3, runs: 2, running: false, pending: false });
    expect(daemon.stats.flags.immediate_scan.runs).toBe(0);
  });

  it("dispatches both flags of one answer; a failing handler is logged, not fatal, and runs again when asked", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    let scans = 0;
    let enumerations = 0;
    const { daemon, lines, stop } = start(
      {},
      {
        pollIntervalMs: 10,
        handlers: {
          enumeration: () => {
            enumerations += 1;
          },
          immediateScan: async () => {
            scans += 1;
            throw new Error("WinRM exploded");
          },
        },
      },
    );
    await until(() => daemon.stats.checkinSuccesses >= 1);
    fake.flags = { enumeration: true, immediateScan: true };
    await until(() => scans === 1 && enumerations === 1 && daemon.stats.flags.immediate_scan.failures === 1);
    const seen = daemon.stats.checkinSuccesses;
    await until(() => daemon.stats.checkinSuccesses >= seen + 3);
    expect(scans).toBe(1);
    fake.flags.immediateScan = true;
    await until(() => scans === 2);
    await stop();

    expect(lines.filter((l) => l.endsWith("immediate scan handler failed: WinRM exploded"))).toHaveLength(2);
    expect(daemon.stats.lastScanCompletedAt).toBeUndefined(); // a failed scan is not acknowledged
    expect(fake.checkins.every((c) => c.body.last_scan_completed_at === undefined)).toBe(true);
    expect(daemon.stats.checkinFailures).toBe(0);
  });

  it("default handlers: enumeration is logged and recorded; the no-op scan's completion goes out with the next check-in", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    const { daemon, lines, stop } = start({}, { pollIntervalMs: 10 });
    await until(() => daemon.stats.checkinSuccesses >= 2);
    fake.flags = { enumeration: true, immediateScan: true };
    await until(() => fake.checkins.some((c) => c.answer.trigger_immediate_scan));
    const delivered = fake.checkins.findIndex((c) => c.answer.trigger_immediate_scan);
    await until(() => fake.checkins.length >= delivered + 4);
    await stop();

    const sent = fake.checkins.map((c) => c.body.last_scan_completed_at);
    expect(sent.slice(0, delivered + 1).every((s) => s === undefined)).toBe(true);
    const completedAt = daemon.stats.lastScanCompletedAt?.toISOString();
    expect(completedAt).toBeDefined();
    expect(sent[delivered + 1]).toBe(completedAt); // the very next check-in acknowledges it
    expect(sent.slice(delivered + 1).every((s) => s === completedAt)).toBe(true);
    expect(Date.parse(completedAt ?? "")).toBeGreaterThanOrEqual(
      Date.parse(fake.checkins[delivered]?.answer.server_time ?? ""),
    );

    expect(lines.filter((l) => l.endsWith(ENUMERATION_PLACEHOLDER_MESSAGE))).toHaveLength(1);
    expect(daemon.stats.flags.enumeration).toMatchObject({ deliveries: 1, runs: 1 });
    expect(daemon.stats.flags.enumeration.lastRequestedAt).toBeInstanceOf(Date);
    expect(lines.some((l) => l.endsWith(`immediate scan completed at ${completedAt}`))).toBe(true);
    expect(fake.problems).toEqual([]);
  });
});

describe("stopping", () => {
  it("stops promptly even while a check-in is waiting for the server", async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const server = await startHttpServer(() => {}); // accepts requests, never answers
    try {
      const running = runCheckinDaemon(config({ api_endpoint: server.url }), {
        signal: stop.signal,
        pollIntervalMs: 60_000,
        timeoutMs: 60_000,
        log: (l) => lines.push(l),
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stopped = Date.now();
      stop.abort();
      await running;
      expect(Date.now() - stopped).toBeLessThan(1000);
      expect(lines.at(-1)).toMatch(/ check-in daemon stopped$/);
      expect(lines.some((l) => l.includes("check-in failed"))).toBe(false); // aborted, not failed
    } finally {
      await server.close();
    }
  });

  it("stops during a long wait between check-ins and does not wait for a handler that honours the signal", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    fake.flags.enumeration = true;
    let aborted = false;
    const { daemon, lines, stop } = start(
      {},
      {
        pollIntervalMs: 60_000,
        handlers: {
          enumeration: (ctx) =>
            new Promise<void>((resolve) => {
              ctx.signal.addEventListener("abort", () => {
                aborted = true;
                resolve();
              });
            }),
        },
      },
    );
    await until(() => daemon.stats.flags.enumeration.running);
    const stopped = Date.now();
    await stop();
    expect(Date.now() - stopped).toBeLessThan(1000);
    expect(aborted).toBe(true);
    expect(lines.at(-1)).toMatch(/ check-in daemon stopped$/);
  });
});

describe("an appliance provisioned before key derivation v2", () => {
  const LEGACY_KEY = "abcdefghijklmnopqrstuvwxyz012345";
  let dir: TempStateDir;
  beforeEach(() => {
    dir = makeTempStateDir("osiris-rekey-");
  });
  afterEach(() => dir.remove());

  /** A state directory as the appliance wrote it before v2: the seed's api_key, the key pair derived from it. */
  function legacyConfig(): ApplianceConfig {
    const legacy = config({ api_key: LEGACY_KEY, state_dir: dir.stateDir });
    delete legacy.appliance_secret;
    writeConfig(legacy);
    fake.registerAppliance(APPLIANCE_ID, LEGACY_KEY, deriveApplianceKeyPair(LEGACY_KEY).publicKeyBase64);
    return readConfig(dir.stateDir);
  }

  it("moves to a fresh root secret on its own: the old key is retired and sealed passwords open with the new key", async () => {
    const legacy = legacyConfig();
    expect(legacy.api_key).toBe(LEGACY_KEY);
    fake.windowsCredentials = [{ hostname: "dc01", username: "CLINIC\\svc-scan", password: "Dc01-Secret!" }];
    const lines: string[] = [];
    const controller = new AbortController();
    const daemon = new CheckinDaemon(legacy, {
      log: (l) => lines.push(l),
      pollIntervalMs: 10,
      signal: controller.signal,
    });
    const running = daemon.run();
    await until(() => daemon.stats.checkinSuccesses >= 1);
    controller.abort();
    await running;

    // One rekey, authenticated by the old key; config.yaml now holds only the new root secret.
    expect(fake.rekeys).toHaveLength(1);
    expect(fake.rekeys[0]?.oldKey).toBe(LEGACY_KEY);
    const upgraded = readConfig(dir.stateDir);
    expect(upgraded.api_key).toBeUndefined();
    expect(upgraded.pending_appliance_secret).toBeUndefined();
    const keys = deriveApplianceKeys(upgraded.appliance_secret ?? "");
    expect(fake.rekeys[0]?.body).toMatchObject({ api_key: keys.apiKey, public_key: keys.keyPair.publicKeyBase64 });
    expect(statSync(configPath(dir.stateDir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(configPath(dir.stateDir), "utf8")).not.toContain(LEGACY_KEY);
    // Every check-in used the new key, and the password sealed to the new public key opened.
    expect(fake.checkins.every((c) => c.apiKey === keys.apiKey)).toBe(true);
    expect(lines.some((l) => l.includes("moved to key derivation v2"))).toBe(true);
    expect(lines.some((l) => l.includes("Windows targets now 1 (added dc01)"))).toBe(true);
    expect(lines.join("\n")).not.toContain(keys.apiKey);
  });

  it("survives losing the rekey answer: the pending root is kept and confirmed with the new key", async () => {
    const legacy = legacyConfig();
    fake.dropRekeyAnswer = true;
    const lines: string[] = [];
    const controller = new AbortController();
    const daemon = new CheckinDaemon(legacy, {
      log: (l) => lines.push(l),
      pollIntervalMs: 10,
      backoffInitialMs: 10,
      backoffMaxMs: 20,
      signal: controller.signal,
      timeoutMs: 2_000,
    });
    const running = daemon.run();
    // The first answer is lost (the server applied it); the pending root is on disk meanwhile.
    await until(() => fake.rekeys.length >= 1);
    fake.dropRekeyAnswer = false;
    await until(() => daemon.stats.checkinSuccesses >= 1);
    controller.abort();
    await running;

    const upgraded = readConfig(dir.stateDir);
    expect(upgraded.api_key).toBeUndefined();
    expect(deriveApplianceKeys(upgraded.appliance_secret ?? "").apiKey).toBe(fake.rekeys[0]?.body.api_key);
    // The retry found the old key refused, and the new one already in place: no second root was made.
    expect(new Set(fake.rekeys.map((r) => r.body.api_key)).size).toBe(1);
    expect(lines.some((l) => l.includes("could not move to key derivation v2 yet"))).toBe(true);
  });
});
