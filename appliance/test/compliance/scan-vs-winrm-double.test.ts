/**
 * The compliance scan end to end on the appliance's side: the real check script, sent by the appliance's
 * own WinRM client (NTLM, sealed HTTP and HTTPS with channel bindings) to the WinRM double, which answers it
 * as hosts in different states would; the verdicts are what those states mean, and a host that refuses the
 * login or never answers is a result with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckStatus } from "@/appliance/src/compliance/check-result";
import { type HostScan, scanHosts } from "@/appliance/src/compliance/scan/scan-hosts";
import { winrmRunScript } from "@/appliance/src/compliance/scan/winrm-run-script";
import { DEFAULT_THRESHOLDS } from "@/appliance/src/compliance/thresholds";
import { Secret } from "@/appliance/src/crypto/secret";
import type { WindowsTarget } from "@/appliance/src/daemon/windows-targets";
import { type ControlOverrides, complianceResponder } from "@/tests/support/winrm-double/compliance-responder";
import { startWinRmDouble, type WinRmDouble } from "@/tests/support/winrm-double/server";

const PASSWORD = "Sc4n-Only!";
let double: WinRmDouble;
const overrides = new Map<string, ControlOverrides>();

beforeAll(async () => {
  double = await startWinRmDouble({
    hosts: [
      { name: "fs01.clinic.test", state: "compliant" },
      { name: "app02.clinic.test", state: "non_compliant" },
      { name: "core03.clinic.test", state: "unreadable" },
      { name: "dc01.clinic.test", state: "compliant", https: true },
      { name: "old04.clinic.test", state: "wrong_password" },
      { name: "slow05.clinic.test", state: "slow" },
    ],
    accounts: [{ domain: "CLINIC", user: "scanner", password: PASSWORD }],
    slowMs: 5_000,
    checkScriptResponder: complianceResponder((host) => overrides.get(host) ?? {}),
  });
});
afterAll(async () => {
  await double?.close();
});

function targets(): WindowsTarget[] {
  return double.hosts.map((h) => ({
    hostname: h.address,
    username: "CLINIC\\scanner",
    password: new Secret(PASSWORD),
    use_ssl: h.https,
    port: h.port,
    transport: "ntlm",
    sealed: true,
  }));
}

async function scan(hostTimeoutMs = 3_000): Promise<HostScan[]> {
  // The double's hosts share 127.0.0.1 on different ports: scan them one target per port.
  const results: HostScan[] = [];
  for (const t of targets()) {
    const [one] = await scanHosts({
      targets: [t],
      runScript: winrmRunScript,
      thresholds: DEFAULT_THRESHOLDS,
      concurrency: 4,
      hostTimeoutMs,
      signal: new AbortController().signal,
      now: () => new Date(),
    });
    if (one) results.push({ ...one, hostname: double.hosts.find((h) => h.port === t.port)?.name ?? t.hostname });
  }
  return results;
}

const all = (status: CheckStatus) =>
  Object.fromEntries(["bitlocker", "defender", "firewall", "patches", "screenlock", "rmm"].map((c) => [c, status]));

describe("the appliance scans the WinRM double's hosts", () => {
  it("judges each host by its state, and words the hosts it could not scan", { timeout: 30_000 }, async () => {
    const scans = await scan();
    const by = Object.fromEntries(scans.map((s) => [s.hostname, s]));
    const status = (host: string) => Object.fromEntries((by[host]?.verdicts ?? []).map((v) => [v.check, v.status]));
    expect(status("fs01.clinic.test")).toEqual(all("pass"));
    // HTTPS with a self-signed listener certificate the appliance has no reason to trust: said so, not skipped.
    expect(status("dc01.clinic.test")).toEqual(all("error"));
    expect(by["dc01.clinic.test"]?.verdicts[0]?.error).toMatch(/certificate is not trusted/);
    expect(status("app02.clinic.test")).toEqual(all("fail"));
    expect(status("core03.clinic.test")).toEqual(all("unknown"));
    expect(status("old04.clinic.test")).toEqual(all("error"));
    expect(by["old04.clinic.test"]?.verdicts[0]?.error).toMatch(/rejected|password|credential/i);
    expect(status("slow05.clinic.test")).toEqual(all("error"));
    expect(by["slow05.clinic.test"]?.verdicts[0]?.error).toMatch(/time limit|no answer/i);
    const firewall = by["app02.clinic.test"]?.verdicts.find((v) => v.check === "firewall");
    expect(firewall?.observed).toBe("Domain on; Private, Public off; service running");
    for (const s of scans) for (const v of s.verdicts) expect(`${v.observed} ${v.error ?? ""}`).not.toContain(PASSWORD);
  });

  it("a firewall turned off between two scans shows as a drift of that one control", { timeout: 30_000 }, async () => {
    const before = await scan();
    overrides.set("fs01.clinic.test", { firewall: "fail" });
    const after = await scan();
    overrides.delete("fs01.clinic.test");
    const fs01 = (scans: HostScan[]) => scans.find((s) => s.hostname === "fs01.clinic.test")?.verdicts ?? [];
    const changed = fs01(after).filter((v, i) => v.status !== fs01(before)[i]?.status);
    expect(changed.map((v) => [v.check, v.status])).toEqual([["firewall", "fail"]]);
  });
});
