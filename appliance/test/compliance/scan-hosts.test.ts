import { describe, expect, it } from "vitest";
import { ScanResultsRequest } from "../../../server/contracts";
import { batchScan, MAX_DISPLAY_CHARS, MAX_RESULTS_PER_BATCH } from "../../src/compliance/scan/scan-batches";
import { type RunScript, scanHosts } from "../../src/compliance/scan/scan-hosts";
import { DEFAULT_THRESHOLDS } from "../../src/compliance/thresholds";
import { Secret } from "../../src/crypto/secret";
import type { WindowsTarget } from "../../src/daemon/windows-targets";
import { compliantServer2022, NOW, scriptOutput } from "./host-outputs";

function target(hostname: string, port = 5985): WindowsTarget {
  return {
    hostname,
    username: "CLINIC\\scan",
    password: new Secret("pw"),
    use_ssl: false,
    port,
    transport: "ntlm",
    sealed: true,
  };
}

const ok = { stdout: scriptOutput(compliantServer2022), stderr: "", exitCode: 0 };

function scan(targets: WindowsTarget[], runScript: RunScript, extra: Partial<Parameters<typeof scanHosts>[0]> = {}) {
  return scanHosts({
    targets,
    runScript,
    thresholds: DEFAULT_THRESHOLDS,
    concurrency: 3,
    hostTimeoutMs: 200,
    signal: new AbortController().signal,
    now: () => NOW,
    ...extra,
  });
}

describe("scanHosts", () => {
  it("scans each host once, at most `concurrency` at a time", async () => {
    let running = 0;
    let peak = 0;
    const calls: string[] = [];
    const run: RunScript = async (t) => {
      calls.push(t.hostname);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return ok;
    };
    const hosts = Array.from({ length: 10 }, (_, i) => target(`srv${i}.clinic.test`));
    const scans = await scan([...hosts, target("SRV0.clinic.test")], run);
    expect(scans).toHaveLength(10);
    expect(calls).toHaveLength(10);
    expect(peak).toBe(3);
    expect(scans.every((s) => s.verdicts.length === 6 && s.checkedAt === NOW)).toBe(true);
  });

  it("turns unreachable, rejected and silent hosts into error results with words a technician can act on", async () => {
    const run: RunScript = (t, _script, { signal }) => {
      if (t.hostname === "refused")
        return Promise.reject(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }));
      if (t.hostname === "badpw") return Promise.reject(Object.assign(new Error("HTTP 401"), { status: 401 }));
      if (t.hostname === "nodns")
        return Promise.reject(Object.assign(new Error("x"), { cause: { code: "ENOTFOUND" } }));
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    };
    const scans = await scan([target("refused"), target("badpw"), target("nodns"), target("slow", 5986)], run);
    const reason = (host: string) => {
      const s = scans.find((x) => x.hostname === host);
      expect(s?.verdicts.every((v) => v.status === "error")).toBe(true);
      return s?.verdicts[0]?.error;
    };
    expect(reason("refused")).toBe(
      'WinRM is not listening on refused:5985 (HTTP) (connection refused): run "winrm quickconfig" on the server or check the port',
    );
    expect(reason("badpw")).toMatch(/^the credential was rejected by badpw/);
    expect(reason("nodns")).toMatch(/does not resolve in DNS/);
    expect(reason("slow")).toMatch(/^no answer from slow:5986 \(HTTP\) within 0 s/);
  });

  it("stops starting hosts when the daemon stops", async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const run: RunScript = async (t) => {
      calls.push(t.hostname);
      controller.abort();
      return ok;
    };
    const scans = await scan([target("a"), target("b"), target("c")], run, {
      concurrency: 1,
      signal: controller.signal,
    });
    expect(calls).toEqual(["a"]);
    expect(scans).toEqual([]);
  });
});

describe("batchScan", () => {
  it("keeps a host's six results together, numbers batches from the scan id, and closes the scan on the last", async () => {
    const hosts = Array.from({ length: 400 }, (_, i) => target(`h${i}`));
    const scans = await scan(hosts, async () => ok, { concurrency: 50 });
    const batches = batchScan("scan-abc", scans, NOW);
    const perBatch = Math.floor(MAX_RESULTS_PER_BATCH / 6) * 6;
    expect(batches.map((b) => b.results.length)).toEqual([perBatch, perBatch, 2400 - 2 * perBatch]);
    expect(batches.map((b) => b.batch_id)).toEqual(["scan-abc-1", "scan-abc-2", "scan-abc-3"]);
    expect(batches.map((b) => b.scan_completed_at)).toEqual([undefined, undefined, NOW.toISOString()]);
    expect(batches[0]?.results[0]).toEqual({
      hostname: expect.any(String),
      check: "bitlocker",
      status: "pass",
      observed: "C:: fully encrypted, protection on",
      expected: "OS volume encrypted, protection on",
      checked_at: NOW.toISOString(),
    });
  });

  it("every batch is a valid scan-results request once the appliance id is added; an overlong value is cut, not fatal", () => {
    const long = "AnyDesk; ".repeat(1_000);
    const batches = batchScan(
      "scan-long",
      [
        {
          hostname: "fs01.clinic.test",
          checkedAt: NOW,
          verdicts: [{ check: "rmm", status: "fail", observed: long, expected: "none", error: long }],
        },
      ],
      NOW,
    );
    const [result] = batches[0]?.results ?? [];
    expect(result?.observed).toHaveLength(MAX_DISPLAY_CHARS);
    expect(result?.observed.endsWith("…")).toBe(true);
    expect(result?.error).toHaveLength(MAX_DISPLAY_CHARS);
    for (const batch of batches) {
      expect(ScanResultsRequest.safeParse({ appliance_id: "site-1-84:3A:5B:91:B6:61", ...batch }).success).toBe(true);
    }
  });

  it("an empty scan still sends one batch that completes it", () => {
    expect(batchScan("s", [], NOW)).toEqual([{ batch_id: "s-1", results: [], scan_completed_at: NOW.toISOString() }]);
  });
});
