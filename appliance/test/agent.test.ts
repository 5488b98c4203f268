import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "../src/agent";
import type { ApplianceConfig } from "../src/config";
import { generateApiKey } from "../src/provisioning";
import { type FakeCentralCommand, PARTNER, SITE_ID, startFakeCentralCommand } from "./fake-central-command";

const APPLIANCE_ID = `${SITE_ID}-84:3A:5B:91:B6:61`;

let fake: FakeCentralCommand;
let apiKey: string;

beforeEach(async () => {
  fake = await startFakeCentralCommand();
  apiKey = generateApiKey();
});
afterEach(async () => {
  await fake.close();
});

function config(overrides: Partial<ApplianceConfig> = {}): ApplianceConfig {
  return {
    site_id: SITE_ID,
    appliance_id: APPLIANCE_ID,
    api_key: apiKey,
    api_endpoint: fake.url,
    poll_interval: 60,
    enable_drift_detection: true,
    enable_evidence_upload: true,
    enable_l1_sync: true,
    healing_enabled: true,
    healing_dry_run: false,
    state_dir: "/var/lib/msp",
    log_level: "INFO",
    partner: { ...PARTNER },
    provisioned_at: "2026-01-04T15:30:00+00:00",
    mac_address: "84:3A:5B:91:B6:61",
    hostname: "osiriscare-appliance",
    ...overrides,
  };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("runAgent", () => {
  it("reports ready, then sends a heartbeat every interval with the appliance key, until stopped", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    const lines: string[] = [];
    const stop = new AbortController();
    const started = Date.now();
    const running = runAgent(config(), { signal: stop.signal, pollIntervalMs: 100, log: (l) => lines.push(l) });

    const beatLines = () => lines.filter((l) => / heartbeat ok \(server time .+\)$/.test(l));
    await until(() => beatLines().length >= 3);
    const elapsed = Date.now() - started;
    stop.abort();
    await running;

    expect(elapsed).toBeGreaterThanOrEqual(180); // 3 beats: at 0, 100 and 200 ms
    expect(fake.statuses).toEqual([{ apiKey, body: { appliance_id: APPLIANCE_ID, status: "ready", progress: 100 } }]);
    expect(fake.heartbeats.every((h) => h.apiKey === apiKey && h.body.appliance_id === APPLIANCE_ID)).toBe(true);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${apiKey}`)).toBe(true);
    expect(fake.problems).toEqual([]);

    // one line per heartbeat the server answered (a last one may have been cut short by the stop)
    expect(beatLines().length).toBeGreaterThanOrEqual(3);
    expect(fake.heartbeats.length - beatLines().length).toBeLessThanOrEqual(1);
    expect(lines.at(-1)).toMatch(/ agent stopped$/);
    expect(lines.join("\n")).not.toContain(apiKey);
  });

  it("uses poll_interval from the config when not overridden", async () => {
    fake.registerAppliance(APPLIANCE_ID, apiKey);
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runAgent(config({ poll_interval: 1 }), { signal: stop.signal, log: (l) => lines.push(l) });
    await until(() => fake.heartbeats.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.heartbeats).toHaveLength(1); // the next one is a second away
    stop.abort();
    await running;
    expect(lines[0]).toMatch(/heartbeat every 1 s$/);
  });

  it("logs failures and keeps trying, including the ready report", async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runAgent(config(), { signal: stop.signal, pollIntervalMs: 50, log: (l) => lines.push(l) });

    await until(() => lines.filter((l) => l.includes("heartbeat failed")).length >= 2);
    expect(lines.some((l) => l.endsWith("status report failed: Invalid appliance key (HTTP 401)"))).toBe(true);
    expect(lines.some((l) => l.endsWith("heartbeat failed: Invalid appliance key (HTTP 401)"))).toBe(true);

    fake.registerAppliance(APPLIANCE_ID, apiKey); // e.g. the server comes to know the key
    await until(() => fake.heartbeats.length >= 1);
    stop.abort();
    await running;
    expect(fake.statuses.map((s) => s.body.status)).toEqual(["ready"]);
    expect(lines.join("\n")).not.toContain(apiKey);
  });

  it("stops promptly even while a request is waiting for the server", async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const server = createServer(() => {}); // accepts requests, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const running = runAgent(config({ api_endpoint: `http://127.0.0.1:${port}` }), {
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
      expect(lines.at(-1)).toMatch(/ agent stopped$/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
