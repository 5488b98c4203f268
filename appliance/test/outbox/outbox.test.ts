/**
 * The appliance's durable outbox against the fake Central Command (a real HTTP server checking the shared
 * contracts) and a real state directory: one 0600 file per report in a 0700 outbox/, written atomically and
 * deleted only after a 2xx; first in, first out per kind; backoff 1 min doubling to 1 h (observed through an
 * injected clock, never waited for); refusals set aside in outbox/refused/ (bounded); caps; coalescing; the
 * secret guard; replay after a restart. The real server, a lossy network and SIGKILL:
 * tests/integration/ad-outbox.int.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EnumerationFailedRequest } from "../../../server/contracts";
import { isPermanentFailure } from "../../src/central-command/api-failure";
import { deriveApplianceKeys, generateRootSecret } from "../../src/crypto/appliance-key";
import type { ScheduledDelay, Sleep } from "../../src/daemon/schedule";
import { Outbox, type OutboxSettings } from "../../src/outbox/outbox";
import { assertNoSecrets, SecretInReportError } from "../../src/outbox/outbox-record";
import { REPORT_KINDS } from "../../src/outbox/report-kinds";
import { type FakeCentralCommand, startFakeCentralCommand } from "../support/fake-central-command";
import { TEST_APPLIANCE_ID } from "../support/provisioned-config";
import { until } from "../support/until";

const APPLIANCE_ID = TEST_APPLIANCE_ID;

let fake: FakeCentralCommand;
let apiKey: string;
let stateDir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await startFakeCentralCommand();
  const keys = deriveApplianceKeys(generateRootSecret());
  apiKey = keys.apiKey;
  fake.registerAppliance(APPLIANCE_ID, apiKey, keys.keyPair.publicKeyBase64);
  stateDir = mkdtempSync(path.join(os.tmpdir(), "osiris-outbox-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await fake.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** An outbox on `stateDir` whose waits are recorded (and last 1 ms); `run()` starts sending. */
function openOutbox(settings: Partial<OutboxSettings> = {}) {
  const controller = new AbortController();
  const delays: ScheduledDelay[] = [];
  const lines: string[] = [];
  const sleep: Sleep = async (delay) => {
    delays.push({ ...delay });
    await new Promise((r) => setTimeout(r, 1));
  };
  const outbox = new Outbox({
    stateDir,
    callOptions: () => ({ apiEndpoint: fake.url, apiKey, timeoutMs: 2000 }),
    signal: controller.signal,
    log: (l) => lines.push(l),
    clock: { now: () => new Date(), sleep },
    random: () => 0.5,
    ...settings,
  });
  let running: Promise<void> | undefined;
  const stop = async () => {
    controller.abort();
    await running;
  };
  cleanups.push(stop);
  return {
    outbox,
    delays,
    lines,
    stop,
    run: () => {
      running = outbox.run();
    },
  };
}

const outboxDir = () => path.join(stateDir, "outbox");
const refusedDir = () => path.join(stateDir, "outbox", "refused");
const onDisk = () => readdirSync(outboxDir()).filter((n) => n !== "refused");

function failure(n: number, extra: Partial<EnumerationFailedRequest> = {}): EnumerationFailedRequest {
  return {
    appliance_id: APPLIANCE_ID,
    domain: "clinic.local",
    code: "dc_unreachable",
    error: `attempt ${n}: the domain controller did not answer`,
    failed_at: new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString(),
    ...extra,
  };
}

const discovered = (dc: string) => ({
  appliance_id: APPLIANCE_ID,
  domain: "clinic.local",
  domain_controllers: [{ hostname: dc, port: 389, priority: 0, weight: 100 }],
});

describe("the outbox's files", () => {
  it("journals each report atomically as one 0600 file in a 0700 directory, and deletes it after the 2xx", async () => {
    mkdirSync(outboxDir(), { mode: 0o755 });
    chmodSync(outboxDir(), 0o755);
    const { outbox, run } = openOutbox();
    expect(statSync(outboxDir()).mode & 0o777).toBe(0o700);
    expect(statSync(refusedDir()).mode & 0o777).toBe(0o700);

    const record = outbox.journal(REPORT_KINDS.enumerationFailed, failure(1));
    expect(onDisk()).toEqual([record.id]);
    expect(record.id).toMatch(/^000000000000-enumeration-failed\.json$/);
    const file = path.join(outboxDir(), record.id);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // whole JSON, no temporary file left behind
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      v: 1,
      seq: 0,
      kind: "enumeration-failed",
      body: failure(1),
    });
    expect(readdirSync(outboxDir()).filter((n) => n.startsWith("."))).toEqual([]);

    run();
    await until(() => onDisk().length === 0);
    expect(fake.enumerationFailures).toEqual([expect.objectContaining({ error: failure(1).error })]);
    expect(outbox.stats).toMatchObject({ journaled: 1, delivered: 1 });
  });

  it("at start, removes a write that never reached its rename and sets aside a file that is not a report", async () => {
    mkdirSync(outboxDir(), { recursive: true });
    writeFileSync(path.join(outboxDir(), ".000000000007-enumeration-failed.json.tmp-1-abc"), '{"v":1,"seq":7,');
    writeFileSync(path.join(outboxDir(), "000000000003-enumeration-failed.json"), "not json");
    const { outbox, lines } = openOutbox();
    expect(onDisk()).toEqual([]);
    expect(readdirSync(refusedDir())).toEqual(["unreadable-000000000003-enumeration-failed.json"]);
    expect(lines.some((l) => l.includes("set aside 000000000003-enumeration-failed.json"))).toBe(true);
    // numbering continues after what was seen, so FIFO order holds
    expect(outbox.journal(REPORT_KINDS.enumerationFailed, failure(1)).seq).toBe(4);
  });
});

describe("sending", () => {
  it("sends first in, first out per kind, and one kind's failing report does not hold up another kind", async () => {
    fake.adScript["enumeration-failed"] = [
      { kind: "status", status: 503 },
      { kind: "status", status: 503 },
    ];
    const { outbox, run } = openOutbox();
    for (const n of [1, 2, 3]) outbox.journal(REPORT_KINDS.enumerationFailed, failure(n));
    outbox.journal(REPORT_KINDS.domainDiscovered, discovered("dc1.clinic.local"));
    run();
    await until(() => fake.enumerationFailures.length === 3);
    expect(fake.enumerationFailures.map((f) => f.error)).toEqual([1, 2, 3].map((n) => failure(n).error));
    expect(fake.discovered).toHaveLength(1);
    await until(() => onDisk().length === 0);
  });

  it("sendAll journals every report before the first is sent, and answers each one's fate", async () => {
    const { outbox, run } = openOutbox();
    run();
    await new Promise((r) => setTimeout(r, 5)); // the send loops are idle, waiting for a report
    const fates = outbox.sendAll(REPORT_KINDS.enumerationFailed, [failure(1), failure(2), failure(3)]);
    // On disk, all three, before any of them went out.
    expect(onDisk()).toHaveLength(3);
    expect(fake.enumerationFailures).toHaveLength(0);
    expect(await Promise.all(fates)).toEqual([true, true, true]);
    expect(fake.enumerationFailures.map((f) => f.error)).toEqual([1, 2, 3].map((n) => failure(n).error));
    expect(onDisk()).toEqual([]);
  });

  it("sendAll throws at the first report it cannot journal; those before it are journaled and sent", async () => {
    const { outbox, run } = openOutbox();
    const bad = { ...failure(2), failed_at: "yesterday" };
    expect(() => outbox.sendAll(REPORT_KINDS.enumerationFailed, [failure(1), bad, failure(3)])).toThrow(
      /breaks its contract/,
    );
    expect(onDisk()).toHaveLength(1);
    run();
    await until(() => fake.enumerationFailures.length === 1 && onDisk().length === 0);
    expect(fake.enumerationFailures[0]?.error).toBe(failure(1).error);
  });

  it("retries with backoff from 1 min doubling to 1 h, honours Retry-After, keeps the file until the 2xx", async () => {
    fake.adScript["enumeration-failed"] = [
      ...Array(7).fill({ kind: "status", status: 503 }),
      { kind: "drop" },
      { kind: "status", status: 429, retryAfter: "7200" },
      { kind: "status", status: 401 },
    ];
    const { outbox, delays, lines, run } = openOutbox();
    const record = outbox.journal(REPORT_KINDS.enumerationFailed, failure(1));
    run();
    await until(() => fake.enumerationFailures.length === 1);
    expect(delays.map((d) => d.baseMs)).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    // ±10 % jitter never past the cap; Retry-After beyond the cap is limited to it
    for (const d of delays) expect(d.delayMs).toBeLessThanOrEqual(3_600_000);
    expect(delays[8]?.delayMs).toBe(3_600_000);
    expect(lines.filter((l) => l.includes("not delivered") && l.includes("kept in the outbox"))).toHaveLength(10);
    expect(outbox.stats.attempts).toBe(11);
    await until(() => onDisk().length === 0);
    expect(onDisk()).not.toContain(record.id);
  });

  it("takes any 2xx as acknowledged, also with a body the contract does not expect", async () => {
    fake.adScript["enumeration-failed"] = [{ kind: "body", body: { unexpected: true } }];
    const { outbox, lines, run } = openOutbox();
    run();
    expect(await outbox.send(REPORT_KINDS.enumerationFailed, failure(1))).toBe(true);
    expect(onDisk()).toEqual([]);
    expect(lines.some((l) => /acknowledged \(HTTP 200; /.test(l))).toBe(true);
  });
});

describe("refusals", () => {
  it("are the statuses waiting cannot change", () => {
    for (const status of [400, 403, 404, 409, 410, 413, 422]) {
      expect(isPermanentFailure({ kind: "http", status, message: "x" })).toBe(true);
    }
    for (const status of [401, 408, 429, 500, 502, 503, 504]) {
      expect(isPermanentFailure({ kind: "http", status, message: "x" })).toBe(false);
    }
    expect(isPermanentFailure({ kind: "invalid-request", message: "x" })).toBe(true);
    expect(isPermanentFailure({ kind: "network", message: "x", detail: "ECONNREFUSED" })).toBe(false);
    expect(isPermanentFailure({ kind: "timeout", message: "x" })).toBe(false);
  });

  it("move the report to outbox/refused/ with the server's error, log it, and the next one goes on", async () => {
    fake.adScript["enumeration-failed"] = [{ kind: "status", status: 422, error: "domain: not this site's domain" }];
    const { outbox, delays, lines, run } = openOutbox();
    const refused = outbox.journal(REPORT_KINDS.enumerationFailed, failure(1));
    outbox.journal(REPORT_KINDS.enumerationFailed, failure(2));
    run();
    await until(() => fake.enumerationFailures.length === 1 && onDisk().length === 0);
    expect(fake.enumerationFailures[0]?.error).toBe(failure(2).error);
    expect(delays).toEqual([]);
    expect(readdirSync(refusedDir())).toEqual([refused.id]);
    const kept = JSON.parse(readFileSync(path.join(refusedDir(), refused.id), "utf8"));
    expect(kept).toMatchObject({
      kind: "enumeration-failed",
      body: failure(1),
      refused: { status: 422, error: "domain: not this site's domain (HTTP 422)" },
    });
    expect(statSync(path.join(refusedDir(), refused.id)).mode & 0o777).toBe(0o600);
    expect(
      lines.some((l) =>
        l.includes(
          "enumeration-failed report (clinic.local, dc_unreachable) refused by Central Command, not retried (domain: not this site's domain (HTTP 422))",
        ),
      ),
    ).toBe(true);
    expect(outbox.stats.refused).toBe(1);
  });

  it("keep only the newest 20 in outbox/refused/, and fewer when they pass the byte bound", async () => {
    fake.adScript["enumeration-failed"] = Array(25).fill({ kind: "status", status: 400, error: "no" });
    const first = openOutbox();
    const ids = [...Array(25).keys()].map((n) => first.outbox.journal(REPORT_KINDS.enumerationFailed, failure(n)).id);
    first.run();
    await until(() => first.outbox.stats.refused === 25);
    expect(readdirSync(refusedDir()).sort()).toEqual(ids.slice(5));
    await first.stop();

    const size = statSync(path.join(refusedDir(), ids[24] as string)).size;
    fake.adScript["enumeration-failed"] = [{ kind: "status", status: 400, error: "no" }];
    const second = openOutbox({ refusedKeepBytes: size * 3 + 10 });
    const newest = second.outbox.journal(REPORT_KINDS.enumerationFailed, failure(99)).id;
    second.run();
    await until(() => second.outbox.stats.refused === 1);
    expect(readdirSync(refusedDir()).sort()).toEqual([...ids.slice(23), newest]);
  });
});

describe("caps, coalescing and the secret guard", () => {
  it("drops the oldest report past 1,000 reports (here 3) or past the byte cap, with a log line", () => {
    const { outbox, lines } = openOutbox({ maxRecords: 3 });
    const ids = [1, 2, 3, 4, 5].map((n) => outbox.journal(REPORT_KINDS.enumerationFailed, failure(n)).id);
    expect(onDisk()).toEqual(ids.slice(2));
    expect(lines.filter((l) => l.startsWith("outbox full (at most 3 reports, "))).toHaveLength(2);
    expect(outbox.stats.dropped).toBe(2);

    const size = statSync(path.join(outboxDir(), ids[4] as string)).size;
    const small = openOutbox({ maxBytes: size * 2 + 200 });
    small.outbox.journal(REPORT_KINDS.enumerationFailed, failure(6));
    expect(small.outbox.pending()).toHaveLength(2); // the 3 already there were over the bytes: 2 dropped
    expect(small.lines.filter((l) => l.startsWith("outbox full"))).toHaveLength(2);
  });

  it("keeps only the newest unsent discovery report, but every enumeration report", () => {
    const { outbox } = openOutbox();
    outbox.journal(REPORT_KINDS.domainDiscovered, discovered("dc1.clinic.local"));
    outbox.journal(REPORT_KINDS.domainDiscovered, discovered("dc2.clinic.local"));
    const newest = outbox.journal(REPORT_KINDS.domainDiscovered, discovered("dc3.clinic.local"));
    outbox.journal(REPORT_KINDS.enumerationFailed, failure(1));
    outbox.journal(REPORT_KINDS.enumerationFailed, failure(2));
    expect(outbox.pending(REPORT_KINDS.domainDiscovered.name).map((r) => r.id)).toEqual([newest.id]);
    expect(outbox.pending(REPORT_KINDS.enumerationFailed.name)).toHaveLength(2);
    expect(onDisk()).toHaveLength(3);
    expect(outbox.stats.replaced).toBe(2);
  });

  it("tells whoever waits on a replaced report that it was not acknowledged", async () => {
    const { outbox } = openOutbox();
    const older = outbox.send(REPORT_KINDS.domainDiscovered, discovered("dc1.clinic.local"));
    outbox.journal(REPORT_KINDS.domainDiscovered, discovered("dc2.clinic.local"));
    expect(await older).toBe(false);
  });

  it("never journals a report with a secret-looking field", async () => {
    const { outbox, lines } = openOutbox();
    const withSecret = { ...failure(1), sealed_password: "AQID" } as EnumerationFailedRequest;
    expect(() => outbox.journal(REPORT_KINDS.enumerationFailed, withSecret)).toThrow(SecretInReportError);
    expect(await outbox.send(REPORT_KINDS.enumerationFailed, withSecret)).toBe(false);
    expect(
      lines.some((l) => l.includes("not journaled: refusing to journal a report with a secret-looking field")),
    ).toBe(true);
    expect(onDisk()).toEqual([]);

    for (const body of [
      { password: "x" },
      { nested: [{ credential: { Password: "x" } }] },
      { client_secret: "x" },
      { accessToken: "x" },
      { private_key: "x" },
      { note: "-----BEGIN RSA PRIVATE KEY-----\nMII…" },
    ]) {
      expect(() => assertNoSecrets(body)).toThrow(SecretInReportError);
    }
    // settings named after a secret are not secrets
    expect(() => assertNoSecrets({ password_max_age: 90, token_lifetime_s: 3600, name: "FS01" })).not.toThrow();
  });

  it("never journals a report its contract refuses", () => {
    const { outbox } = openOutbox();
    expect(() => outbox.journal(REPORT_KINDS.enumerationFailed, { ...failure(1), domain: "not a domain!" })).toThrow(
      /breaks its contract: domain: must be a DNS domain name/,
    );
    expect(onDisk()).toEqual([]);
  });
});

describe("replay", () => {
  it("sends what a previous run journaled, oldest first, after a restart", async () => {
    const before = openOutbox();
    const ids = [1, 2].map((n) => before.outbox.journal(REPORT_KINDS.enumerationFailed, failure(n)).id);
    // the process dies: nothing was sent
    await before.stop();
    expect(onDisk()).toEqual(ids);

    const after = openOutbox();
    expect(after.outbox.stats.replayed).toBe(2);
    after.outbox.journal(REPORT_KINDS.enumerationFailed, failure(3));
    after.run();
    await until(() => onDisk().length === 0);
    expect(fake.enumerationFailures.map((f) => f.error)).toEqual([1, 2, 3].map((n) => failure(n).error));
    expect(after.lines[0]).toBe("outbox: 2 report(s) journaled before this start, sending them again");
  });

  it("stopping leaves the reports on disk and answers waiters 'not acknowledged'", async () => {
    fake.adScript["enumeration-failed"] = Array(100).fill({ kind: "status", status: 503 });
    const { outbox, run, stop } = openOutbox();
    run();
    const waiting = outbox.send(REPORT_KINDS.enumerationFailed, failure(1));
    await until(() => outbox.stats.attempts >= 2);
    await stop();
    expect(await waiting).toBe(false);
    expect(onDisk()).toHaveLength(1);
  });
});
