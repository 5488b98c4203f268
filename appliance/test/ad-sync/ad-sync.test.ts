/**
 * The appliance's AD wiring against the fake Central Command (a real HTTP server checking the shared
 * contracts): the discovery schedule and what it reports through the outbox (retries of unacknowledged posts),
 * the enumeration handler's failures (no credential, a credential fetch that keeps failing, an unusable password,
 * no domain), chunking and the pins file. The outbox itself: appliance/test/outbox/outbox.test.ts. The real
 * discovery and enumeration against Samba, merged by the real server, is tests/integration/ad-appliance.int.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EnumerationResultsRequest, MAX_COMPUTERS_PER_POST } from "../../../server/contracts";
import type { AdSyncOptions } from "../../src/ad-sync/ad-sync";
import { DcPins } from "../../src/ad-sync/dc-pins";
import { DomainDiscoveryLoop } from "../../src/ad-sync/domain-discovery-loop";
import { enumerationPosts } from "../../src/ad-sync/enumeration-posts";
import { fetchDomainCredential } from "../../src/ad-sync/fetch-domain-credential";
import { bindName } from "../../src/ad-sync/run-enumeration";
import type { ApiFailure } from "../../src/central-command/api-failure";
import { callApi } from "../../src/central-command/call-api";
import { ENDPOINTS } from "../../src/central-command/endpoints";
import type { ApplianceConfig } from "../../src/config/config-file";
import { deriveApplianceKeys, generateRootSecret } from "../../src/crypto/appliance-key";
import { CheckinDaemon } from "../../src/daemon/checkin-daemon";
import type { ScheduledDelay, Sleep } from "../../src/daemon/schedule";
import type { DiscoveryResult } from "../../src/directory/discovery/discover-domain";
import type { EnumeratedComputer } from "../../src/directory/enumeration/classify-computer";
import { Outbox } from "../../src/outbox/outbox";
import { REPORT_KINDS } from "../../src/outbox/report-kinds";
import { type FakeCentralCommand, startFakeCentralCommand } from "../support/fake-central-command";
import { closedPort } from "../support/http-server";
import { provisionedConfig, TEST_APPLIANCE_ID } from "../support/provisioned-config";
import { until as untilEvery } from "../support/until";

const until = (condition: () => boolean, timeoutMs = 5000) => untilEvery(condition, timeoutMs, 5);
const APPLIANCE_ID = TEST_APPLIANCE_ID;
const DOMAIN_PASSWORD = "Dom@in-Passw0rd-Never-Logged";

let fake: FakeCentralCommand;
let rootSecret: string;
let apiKey: string;
let stateDir: string;
/** Stops what a test left running (outbox send loops) before the fake goes away. */
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await startFakeCentralCommand();
  rootSecret = generateRootSecret();
  const keys = deriveApplianceKeys(rootSecret);
  apiKey = keys.apiKey;
  fake.registerAppliance(APPLIANCE_ID, apiKey, keys.keyPair.publicKeyBase64);
  stateDir = mkdtempSync(path.join(os.tmpdir(), "osiris-adsync-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await fake.close();
  rmSync(stateDir, { recursive: true, force: true });
});

function config(): ApplianceConfig {
  return provisionedConfig({ rootSecret, apiEndpoint: fake.url, stateDir });
}

/** Records every wait and waits 1 ms instead; aborts after `stopAfter` waits. */
function recordingSleep(stopAfter = Number.POSITIVE_INFINITY) {
  const delays: ScheduledDelay[] = [];
  const controller = new AbortController();
  const sleep: Sleep = async (delay) => {
    delays.push({ ...delay });
    if (delays.length >= stopAfter) controller.abort();
    await new Promise((r) => setTimeout(r, 1));
  };
  return { delays, sleep, controller };
}

const callOptions = () => ({ apiEndpoint: fake.url, apiKey, timeoutMs: 2000 });

function found(dcs: string[], netbios = "CLINIC"): DiscoveryResult {
  return {
    ok: true,
    domain: "clinic.local",
    netbiosName: netbios,
    domainControllers: dcs.map((hostname, i) => ({ hostname, port: 389, priority: i, weight: 100 })),
    confirmedBy: dcs[0] ?? "",
    rootDse: { defaultNamingContext: "DC=clinic,DC=local" } as never,
    searched: ["clinic.local"],
  };
}

const notFound: DiscoveryResult = {
  ok: false,
  message: "no domain found: searched clinic.local (no _ldap SRV records)",
  searched: ["clinic.local"],
  reasons: [{ domain: "clinic.local", reason: "no _ldap SRV records" }],
};

function loop(script: DiscoveryResult[], stopAfter: number, now: () => Date = () => new Date()) {
  const rec = recordingSleep(stopAfter);
  const lines: string[] = [];
  const opts = {
    signal: rec.controller.signal,
    sleep: rec.sleep,
    random: () => 0.5,
    log: (l: string) => lines.push(l),
  };
  // The loop's waits and the outbox's retries go to the same recorder.
  const outbox = new Outbox({
    stateDir,
    callOptions,
    signal: rec.controller.signal,
    log: opts.log,
    clock: { now, sleep: rec.sleep },
    random: () => 0.5,
  });
  const sending = outbox.run();
  cleanups.push(async () => {
    rec.controller.abort();
    await sending;
  });
  const l = new DomainDiscoveryLoop({
    applianceId: () => APPLIANCE_ID,
    discover: async () => script.shift() ?? notFound,
    postDiscovered: (body) => outbox.send(REPORT_KINDS.domainDiscovered, body),
    postFailed: (body) => outbox.send(REPORT_KINDS.domainDiscoveryFailed, body),
    ...opts,
    now,
  });
  return { loop: l, delays: rec.delays, lines, outbox };
}

describe("domain discovery schedule", () => {
  it("retries a failing discovery from 1 min doubling to 1 h, reports the failure once, then runs daily", async () => {
    const script = [...Array(8).fill(notFound), found(["dc1.clinic.local"])];
    const { loop: l, delays } = loop(script, 10);
    await l.run();
    expect(delays.map((d) => [d.kind, d.baseMs])).toEqual([
      ["backoff", 60_000],
      ["backoff", 120_000],
      ["backoff", 240_000],
      ["backoff", 480_000],
      ["backoff", 960_000],
      ["backoff", 1_920_000],
      ["backoff", 3_600_000],
      ["backoff", 3_600_000],
      ["poll", 24 * 3_600_000],
      ["backoff", 60_000],
    ]);
    // the same failure is reported once, not at every retry; the success once
    expect(fake.discoveryFailures).toHaveLength(2); // the episode before the success, and the new one after it
    expect(fake.discoveryFailures[0]).toMatchObject({
      appliance_id: APPLIANCE_ID,
      searched: ["clinic.local"],
      error: notFound.message,
    });
    expect(fake.discovered).toHaveLength(1);
    expect(fake.discovered[0]).toMatchObject({
      appliance_id: APPLIANCE_ID,
      domain: "clinic.local",
      netbios_name: "CLINIC",
      domain_controllers: [{ hostname: "dc1.clinic.local", port: 389, priority: 0, weight: 100 }],
    });
    expect(l.current?.domain).toBe("clinic.local");
    expect(fake.problems).toEqual([]);
  });

  it("reports a success again only when the result changed or a day has passed", async () => {
    let clock = Date.parse("2026-12-01T00:00:00Z");
    const script = [
      found(["dc1.clinic.local"]),
      found(["dc1.clinic.local"]), // same: not sent
      found(["dc1.clinic.local", "dc2.clinic.local"]), // changed: sent
      found(["dc1.clinic.local", "dc2.clinic.local"]), // a day later: sent again
    ];
    const times = [0, 3_600_000, 7_200_000, 7_200_000 + 24 * 3_600_000];
    const l2 = loop(script, 100, () => new Date(clock)).loop;
    for (const t of times) {
      clock = Date.parse("2026-12-01T00:00:00Z") + t;
      expect(await l2.runOnce()).toBe(true);
    }
    expect(fake.discovered.map((d) => d.domain_controllers.length)).toEqual([1, 2, 2]);
    expect(fake.discovered.map((d) => d.discovered_at)).toEqual([
      "2026-12-01T00:00:00.000Z",
      "2026-12-01T02:00:00.000Z",
      "2026-12-02T02:00:00.000Z",
    ]);
  });

  it("retries a report Central Command did not acknowledge (kept in the outbox), and counts it sent only then", async () => {
    fake.adScript["domain-discovered"] = [
      { kind: "status", status: 503 },
      { kind: "drop" },
      { kind: "status", status: 429, retryAfter: "7200" },
    ];
    const { loop: l, delays, lines, outbox } = loop([found(["dc1.clinic.local"])], 100);
    expect(await l.runOnce()).toBe(true);
    expect(delays.map((d) => d.baseMs)).toEqual([60_000, 120_000, 240_000]);
    // Retry-After beyond the cap is limited to the cap (1 h)
    expect(delays[2]?.delayMs).toBe(3_600_000);
    expect(fake.discovered).toHaveLength(1);
    expect(l.stats.reportsSent).toBe(1);
    expect(lines.filter((x) => x.includes("not delivered") && x.includes("kept in the outbox"))).toHaveLength(3);
    expect(outbox.pending()).toEqual([]);
  });

  it("gives up at once on a refusal that waiting cannot change (400), setting the report aside", async () => {
    fake.adScript["domain-discovery-failed"] = [{ kind: "status", status: 400, error: "searched: too many" }];
    const { loop: l, delays, lines, outbox } = loop([notFound], 100);
    expect(await l.runOnce()).toBe(false);
    expect(delays).toEqual([]);
    expect(
      lines.some((x) =>
        /domain-discovery-failed report refused by Central Command, not retried \(searched: too many \(HTTP 400\)\); kept in outbox\/refused\//.test(
          x,
        ),
      ),
    ).toBe(true);
    expect(l.stats.reportsSent).toBe(0);
    expect(outbox.pending()).toEqual([]);
    expect(readdirSync(outbox.store.refusedDir)).toEqual([
      expect.stringMatching(/^\d{12}-domain-discovery-failed\.json$/),
    ]);
  });
});

function computer(name: string, extra: Partial<EnumeratedComputer> = {}): EnumeratedComputer {
  return {
    hostname: `${name.toLowerCase()}.clinic.local`,
    name,
    os: "Windows 11 Pro",
    os_version: "10.0 (22631)",
    distinguished_name: `CN=${name},OU=Workstations,DC=clinic,DC=local`,
    enabled: true,
    last_logon: "2026-11-29T00:00:00.000Z",
    is_domain_controller: false,
    stale: false,
    ...extra,
  };
}

describe("enumeration posts", () => {
  const base = {
    applianceId: APPLIANCE_ID,
    domain: "clinic.local",
    enumeratedAt: "2026-12-01T00:00:00.000Z",
    partial: false,
  };

  it("sends only the contract's fields and leaves out computers the contract refuses", () => {
    const { posts, refused } = enumerationPosts({
      ...base,
      servers: [computer("FS01", { winrm_reachable: true, stale: true })],
      workstations: [computer("WS01"), computer("BAD", { hostname: "bad name!" })],
    });
    expect(refused).toEqual(["bad name!"]);
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post?.run_id).toBeUndefined();
    expect(Object.keys(post?.servers[0] ?? {}).sort()).toEqual([
      "distinguished_name",
      "enabled",
      "hostname",
      "is_domain_controller",
      "last_logon",
      "name",
      "os",
      "os_version",
      "winrm_reachable",
    ]);
    expect(post?.workstations.map((w) => w.hostname)).toEqual(["ws01.clinic.local"]);
    expect(EnumerationResultsRequest.safeParse(post).success).toBe(true);
  });

  it("splits a run bigger than one post into chunks of one run_id, the last marked", () => {
    const servers = [computer("S1"), computer("S2")];
    const workstations = [computer("W1"), computer("W2"), computer("W3")];
    const { posts } = enumerationPosts({
      ...base,
      servers,
      workstations,
      maxComputers: 2,
      runId: () => "run-abcdefgh",
    });
    expect(posts.map((p) => [p.run_id, p.chunk, p.last, p.servers.length, p.workstations.length])).toEqual([
      ["run-abcdefgh", 0, undefined, 2, 0],
      ["run-abcdefgh", 1, undefined, 0, 2],
      ["run-abcdefgh", 2, true, 0, 1],
    ]);
    for (const p of posts) expect(EnumerationResultsRequest.safeParse(p).success).toBe(true);
  });

  it("keeps 30,000 computers in one post and chunks 30,001 (the count limit, bytes aside)", () => {
    const many = Array.from({ length: MAX_COMPUTERS_PER_POST + 1 }, (_, i) => computer(`W${i}`));
    const maxBytes = Number.POSITIVE_INFINITY;
    const exact = enumerationPosts({
      ...base,
      servers: [],
      workstations: many.slice(0, MAX_COMPUTERS_PER_POST),
      maxBytes,
    });
    expect(exact.posts).toHaveLength(1);
    const over = enumerationPosts({ ...base, servers: [], workstations: many, maxBytes });
    expect(over.posts.map((p) => [p.chunk, p.last, p.workstations.length])).toEqual([
      [0, undefined, MAX_COMPUTERS_PER_POST],
      [1, true, 1],
    ]);
    expect(over.posts[0]?.run_id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    for (const p of over.posts) expect(EnumerationResultsRequest.safeParse(p).success).toBe(true);
  });

  it("starts a new chunk before a post's JSON passes 7 MiB (the route takes 8 MiB)", () => {
    const many = Array.from({ length: MAX_COMPUTERS_PER_POST }, (_, i) => computer(`W${i}`));
    const { posts } = enumerationPosts({ ...base, servers: [], workstations: many });
    expect(posts.length).toBe(2);
    for (const p of posts) expect(JSON.stringify(p).length).toBeLessThan(8 * 1024 * 1024);
    expect(posts.reduce((n, p) => n + p.workstations.length, 0)).toBe(MAX_COMPUTERS_PER_POST);
  });

  it("are accepted by Central Command's 202, chunk by chunk", async () => {
    const { posts } = enumerationPosts({
      ...base,
      servers: [computer("S1")],
      workstations: [computer("W1"), computer("W2")],
      maxComputers: 2,
    });
    for (const post of posts) {
      const r = await callApi(ENDPOINTS.enumerationResults, post, callOptions());
      expect(r.ok).toBe(true);
    }
    expect(fake.enumerationResults.map((p) => [p.chunk, p.last])).toEqual([
      [0, undefined],
      [1, true],
    ]);
    expect(fake.problems).toEqual([]);
  });

  it("also starts a new chunk before a post's JSON passes a smaller byte limit", () => {
    const { posts } = enumerationPosts({
      ...base,
      servers: [],
      workstations: [computer("A"), computer("B"), computer("C")],
      maxBytes: 500,
    });
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.flatMap((p) => p.workstations.map((w) => w.name))).toEqual(["A", "B", "C"]);
  });
});

describe("DC certificate pins", () => {
  it("keeps host name → fingerprint in a 0600 JSON file, and treats a malformed file as empty", () => {
    const pins = new DcPins(stateDir);
    expect(pins.get("dc1.clinic.local")).toBeUndefined();
    pins.set("DC1.clinic.local", "ab".repeat(32));
    expect(pins.get("dc1.clinic.local")).toBe(Array(32).fill("AB").join(":"));
    expect(statSync(pins.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(pins.file, "utf8"))).toEqual({ "dc1.clinic.local": Array(32).fill("AB").join(":") });
    const lines: string[] = [];
    writeFileSync(pins.file, "not json");
    expect(new DcPins(stateDir, (l) => lines.push(l)).get("dc1.clinic.local")).toBeUndefined();
    expect(lines[0]).toMatch(/ignoring .*dc-pins\.json/);
  });

  it("binds a bare user name as user@domain and leaves the library's forms alone", () => {
    expect(bindName("osiris-scan", "clinic.local")).toBe("osiris-scan@clinic.local");
    expect(bindName("CLINIC\\svc", "clinic.local")).toBe("CLINIC\\svc");
    expect(bindName("svc@clinic.local", "clinic.local")).toBe("svc@clinic.local");
    expect(bindName("CN=svc,CN=Users,DC=clinic,DC=local", "clinic.local")).toBe("CN=svc,CN=Users,DC=clinic,DC=local");
  });
});

describe("the daemon's AD work (fake Central Command)", () => {
  async function daemon(directory: Partial<AdSyncOptions> = {}) {
    const lines: string[] = [];
    const controller = new AbortController();
    const d = new CheckinDaemon(config(), {
      pollIntervalMs: 20,
      log: (l) => lines.push(l),
      signal: controller.signal,
      directory: {
        stateDir,
        dnsServers: [`127.0.0.1:${await closedPort()}`],
        candidates: () => [],
        discoveryRetryInitialMs: 60_000,
        credentialRetryInitialMs: 5,
        ...directory,
      },
      outbox: { retryInitialMs: 5, retryMaxMs: 20 },
    });
    const running = d.run();
    return {
      d,
      lines,
      stop: async () => {
        controller.abort();
        await running;
      },
    };
  }

  it("discovers at start and reports what it searched when no domain is found", async () => {
    const { stop } = await daemon({ candidates: () => ["clinic.local"] });
    await until(() => fake.discoveryFailures.length === 1);
    await stop();
    expect(fake.discoveryFailures[0]?.searched).toEqual(["clinic.local"]);
    expect(fake.discoveryFailures[0]?.error).toMatch(
      /^no domain found: searched clinic\.local \(DNS \(127\.0\.0\.1:\d+\): /,
    );
    expect(fake.problems).toEqual([]);
  });

  it("logs and sends nothing when the credential cannot be fetched and no domain is known to report it under", async () => {
    const { d, lines, stop } = await daemon();
    fake.flags.enumeration = true;
    await until(() => d.ad?.lastEnumeration !== undefined);
    await stop();
    expect(d.ad?.lastEnumeration).toEqual({
      status: "no-credential",
      reason: expect.stringMatching(/^Central Command has no domain credential for this site/),
    });
    expect(fake.credentialReleases).toBe(0);
    expect(lines.some((l) => l.includes("enumeration not started: Central Command has no domain credential"))).toBe(
      true,
    );
    // a refusal is not retried
    expect(lines.filter((l) => l.includes("domain credential not fetched"))).toEqual([]);
    expect(fake.enumerationFailures).toEqual([]);
    expect(fake.enumerationResults).toEqual([]);
  });

  it("reports a refused credential fetch as credential_fetch_failed under the discovered domain", async () => {
    const { d, stop } = await daemon();
    if (!d.ad) throw new Error("the daemon runs AD");
    d.ad.discovery.current = { domain: "clinic.local", domainControllers: [], at: new Date() };
    fake.flags.enumeration = true;
    await until(() => d.ad?.lastEnumeration !== undefined);
    await stop();
    expect(fake.enumerationFailures[0]).toMatchObject({
      appliance_id: APPLIANCE_ID,
      domain: "clinic.local",
      code: "credential_fetch_failed",
      error: expect.stringMatching(/no domain credential for this site .*Enter the domain credential again/),
    });
    expect(d.ad.lastEnumeration).toMatchObject({ status: "failed", code: "credential_fetch_failed", reported: true });
    expect(fake.problems).toEqual([]);
  });

  it("refuses a plain or misbound domain password and tells Central Command, retrying until acknowledged", async () => {
    fake.domainCredential = {
      domain: "clinic.local",
      username: "osiris-scan",
      password: DOMAIN_PASSWORD,
      deliver: "plain",
    };
    fake.adScript["enumeration-failed"] = [{ kind: "status", status: 503 }, { kind: "drop" }];
    const { d, lines, stop } = await daemon();
    fake.flags.enumeration = true;
    await until(() => fake.enumerationFailures.length === 1);
    expect(fake.enumerationFailures[0]).toMatchObject({
      appliance_id: APPLIANCE_ID,
      domain: "clinic.local",
      code: "credential_unusable",
      error: expect.stringMatching(/unsealed/),
    });
    expect(
      lines.filter((l) => /enumeration-failed report \(clinic\.local, credential_unusable\) not delivered/.test(l)),
    ).toHaveLength(2);

    // sealed, but for another credential id: does not open
    fake.domainCredential = {
      domain: "clinic.local",
      username: "osiris-scan",
      password: DOMAIN_PASSWORD,
      credentialId: "a",
    };
    const { sealSecret } = await import("../../src/crypto/sealed-box");
    const publicKey = deriveApplianceKeys(rootSecret).keyPair.publicKeyBase64;
    fake.domainCredential.deliver = {
      sealed_password: sealSecret(DOMAIN_PASSWORD, publicKey, {
        applianceId: APPLIANCE_ID,
        credentialId: "another-credential",
        hostname: "clinic.local",
        username: "osiris-scan",
      }),
    };
    fake.flags.enumeration = true;
    await until(() => fake.enumerationFailures.length === 2);
    expect(fake.enumerationFailures[1]).toMatchObject({
      code: "credential_unusable",
      error: expect.stringMatching(/does not open/),
    });
    await stop();
    expect(lines.join("\n")).not.toContain(DOMAIN_PASSWORD);
    expect(d.stats.flags.enumeration.failures).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it("opens a sealed password and reports no_domain_found with what it searched when the domain has no DC", async () => {
    fake.domainCredential = { domain: "clinic.local", username: "osiris-scan", password: DOMAIN_PASSWORD };
    const { lines, stop } = await daemon();
    fake.flags.enumeration = true;
    await until(() => fake.enumerationFailures.length === 1);
    await stop();
    expect(fake.credentialReleases).toBe(1);
    expect(fake.enumerationFailures[0]).toMatchObject({
      domain: "clinic.local",
      code: "no_domain_found",
      error: expect.stringMatching(/^no domain found: searched clinic\.local/),
    });
    expect(lines.join("\n")).not.toContain(DOMAIN_PASSWORD);
  });
});

describe("the domain credential fetch", () => {
  const transient: ApiFailure = { kind: "http", status: 503, message: "Service unavailable" };
  function scripted(results: Array<ApiFailure | "ok">) {
    let calls = 0;
    const release = { credential_id: "c1", domain: "clinic.local", username: "osiris", ca_pem: null };
    const fetchOnce = async () => {
      const next = results[calls++] ?? "ok";
      return next === "ok" ? { ok: true as const, data: release } : { ok: false as const, failure: next };
    };
    return { fetchOnce, calls: () => calls };
  }

  it("retries a transient failure up to 4 times with backoff, then gives a reason a technician can act on", async () => {
    const rec = recordingSleep();
    const lines: string[] = [];
    const s = scripted(Array(10).fill(transient));
    const r = await fetchDomainCredential(s.fetchOnce, {
      signal: rec.controller.signal,
      sleep: rec.sleep,
      random: () => 0.5,
      log: (l) => lines.push(l),
    });
    expect(s.calls()).toBe(5);
    expect(rec.delays.map((d) => d.baseMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(r).toMatchObject({ ok: false, attempts: 5, stopped: false });
    if (r.ok) throw new Error("expected a failure");
    expect(r.reason).toMatch(
      /^The appliance could not fetch the domain credential from Central Command after 5 attempts \(last: Service unavailable \(HTTP 503\)\)\. Check the appliance's connection/,
    );
    expect(lines).toHaveLength(4);
  });

  it("succeeds on a later attempt, and does not retry a refusal", async () => {
    const rec = recordingSleep();
    const opts = { signal: rec.controller.signal, sleep: rec.sleep, random: () => 0.5, log: () => {} };
    const later = scripted([transient, { kind: "timeout", message: "Connection timed out" }, "ok"]);
    expect(await fetchDomainCredential(later.fetchOnce, opts)).toMatchObject({
      ok: true,
      release: { domain: "clinic.local" },
    });
    expect(later.calls()).toBe(3);
    const refused = scripted([{ kind: "http", status: 403, message: "Not your site" }]);
    const r = await fetchDomainCredential(refused.fetchOnce, opts);
    expect(refused.calls()).toBe(1);
    expect(r).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/refused to give this appliance .*Not your site \(HTTP 403\)/),
    });
  });
});
