/**
 * The daemon's compliance scans against a contract-checking Central Command on loopback: the scan flag
 * runs the check script on every Windows target the check-in delivered, with the partner's thresholds
 * from the same check-in, journals the batches before acknowledging the scan, and the site's schedule
 * starts a scan on its own, without a flag.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_COMPLIANCE_THRESHOLDS } from "../../../server/contracts";
import type { ScanBatch } from "../../src/compliance/scan/scan-batches";
import type { RunScript } from "../../src/compliance/scan/scan-hosts";
import { deriveApplianceKeys, generateRootSecret } from "../../src/crypto/appliance-key";
import { CheckinDaemon, type CheckinDaemonOptions } from "../../src/daemon/checkin-daemon";
import { type FakeCentralCommand, startFakeCentralCommand } from "../support/fake-central-command";
import { provisionedConfig, TEST_APPLIANCE_ID } from "../support/provisioned-config";
import { until as untilEvery } from "../support/until";
import { compliantServer2022, scriptOutput } from "./host-outputs";

const until = (condition: () => boolean, timeoutMs = 5000) => untilEvery(condition, timeoutMs, 5);

let fake: FakeCentralCommand;
let rootSecret: string;

beforeEach(async () => {
  fake = await startFakeCentralCommand();
  rootSecret = generateRootSecret();
  const keys = deriveApplianceKeys(rootSecret);
  fake.registerAppliance(TEST_APPLIANCE_ID, keys.apiKey, keys.keyPair.publicKeyBase64);
  fake.windowsCredentials = [
    { hostname: "fs01.clinic.test", username: "CLINIC\\scan", password: "pw-one" },
    { hostname: "app02.clinic.test", username: "CLINIC\\scan", password: "pw-two" },
  ];
});
afterEach(async () => {
  await fake.close();
});

function start(opts: Partial<CheckinDaemonOptions>) {
  const batches: ScanBatch[] = [];
  const scripts: { host: string; password: string }[] = [];
  const runScript: RunScript = async (target) => {
    scripts.push({ host: target.hostname, password: target.password.reveal() });
    return { stdout: scriptOutput(compliantServer2022), stderr: "", exitCode: 0 };
  };
  const lines: string[] = [];
  const controller = new AbortController();
  const daemon = new CheckinDaemon(provisionedConfig({ rootSecret, apiEndpoint: fake.url, stateDir: "/var/lib/msp" }), {
    pollIntervalMs: 10,
    log: (l) => lines.push(l),
    signal: controller.signal,
    compliance: { runScript, deliver: async (b) => void batches.push(...b) },
    ...opts,
  });
  const running = daemon.run();
  return {
    daemon,
    batches,
    scripts,
    lines,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

describe("compliance scans in the daemon", () => {
  it("the scan flag scans every target with the check-in's thresholds; the completion goes back at the next check-in", async () => {
    fake.compliance = {
      scan_interval_s: 3600,
      thresholds: { ...DEFAULT_COMPLIANCE_THRESHOLDS, patch_max_age_days: 7, rmm_allow_list: ["Datto RMM"] },
    };
    const d = start({});
    await until(() => d.daemon.stats.checkinSuccesses >= 1);
    fake.flags.immediateScan = true;
    await until(() => d.daemon.stats.lastScanCompletedAt !== undefined);
    const completedAt = d.daemon.stats.lastScanCompletedAt?.toISOString();
    await until(() => fake.checkins.some((c) => c.body.last_scan_completed_at === completedAt));
    await d.stop();

    expect(d.scripts.map((s) => s.host).sort()).toEqual(["app02.clinic.test", "fs01.clinic.test"]);
    // The sealed passwords were opened in memory and used; never logged.
    expect(d.scripts.map((s) => s.password).sort()).toEqual(["pw-one", "pw-two"]);
    expect(d.lines.join("\n")).not.toMatch(/pw-one|pw-two/);
    expect(d.batches).toHaveLength(1);
    const [batch] = d.batches;
    expect(batch?.results).toHaveLength(12);
    expect(batch?.scan_completed_at).toBeDefined();
    const patches = batch?.results.find((r) => r.hostname === "fs01.clinic.test" && r.check === "patches");
    // The partner's 7-day threshold from the check-in, not the default 30: a 13-day-old update fails.
    expect(patches).toMatchObject({ status: "fail", expected: "an update installed within the last 7 days" });
    const rmm = batch?.results.find((r) => r.hostname === "fs01.clinic.test" && r.check === "rmm");
    expect(rmm?.status).toBe("pass");
    expect(d.daemon.stats.flags.immediate_scan).toMatchObject({ deliveries: 1, runs: 1, scheduledRuns: 0 });
  });

  it("the site's schedule starts a scan without a flag, once per interval", async () => {
    fake.compliance = { scan_interval_s: 60, thresholds: DEFAULT_COMPLIANCE_THRESHOLDS };
    let now = Date.parse("2026-12-02T12:00:00Z");
    const d = start({ now: () => new Date(now) });
    await until(() => d.daemon.stats.checkinSuccesses >= 3);
    expect(d.batches).toHaveLength(0); // less than an interval since the daemon started
    now += 61_000;
    await until(() => d.batches.length === 1);
    const seen = d.daemon.stats.checkinSuccesses;
    await until(() => d.daemon.stats.checkinSuccesses >= seen + 5);
    expect(d.batches).toHaveLength(1); // the next one is an interval after this one began
    now += 61_000;
    await until(() => d.batches.length === 2);
    await d.stop();
    expect(d.daemon.stats.flags.immediate_scan).toMatchObject({ deliveries: 0, runs: 2, scheduledRuns: 2 });
    expect(d.lines.filter((l) => l.endsWith("scheduled compliance scan (every 1 min)"))).toHaveLength(2);
    expect(fake.problems).toEqual([]);
  });

  it("schedules nothing while the site has no Windows targets", async () => {
    fake.windowsCredentials = [];
    fake.compliance = { scan_interval_s: 60, thresholds: DEFAULT_COMPLIANCE_THRESHOLDS };
    let now = Date.parse("2026-12-02T12:00:00Z");
    const d = start({ now: () => new Date(now) });
    await until(() => d.daemon.stats.checkinSuccesses >= 2);
    now += 3_600_000;
    const seen = d.daemon.stats.checkinSuccesses;
    await until(() => d.daemon.stats.checkinSuccesses >= seen + 5);
    await d.stop();
    expect(d.batches).toHaveLength(0);
    expect(d.daemon.stats.flags.immediate_scan.runs).toBe(0);
  });

  it("schedules nothing from a server that sends no schedule (older Central Command)", async () => {
    let now = Date.parse("2026-12-02T12:00:00Z");
    const d = start({ now: () => new Date(now) });
    await until(() => d.daemon.stats.checkinSuccesses >= 2);
    now += 24 * 3_600_000;
    const seen = d.daemon.stats.checkinSuccesses;
    await until(() => d.daemon.stats.checkinSuccesses >= seen + 5);
    await d.stop();
    expect(d.batches).toHaveLength(0);
  });
});
