import { describe, expect, it } from "vitest";
import type { CheckVerdict } from "../../src/compliance/check-result";
import { evaluateHost } from "../../src/compliance/evaluate-host";
import { DEFAULT_THRESHOLDS } from "../../src/compliance/thresholds";
import {
  clixmlStderr,
  compliantServer2022,
  germanLocaleServer,
  NOW,
  neglectedServer2016,
  psBanner,
  scriptOutput,
  serverCoreWithoutFeatures,
} from "./host-outputs";

const datto = { ...DEFAULT_THRESHOLDS, rmmAllowList: ["datto-rmm"] };

function byCheck(verdicts: CheckVerdict[]): Record<string, CheckVerdict> {
  return Object.fromEntries(verdicts.map((v) => [v.check, v]));
}

function run(facts: Record<string, unknown>, thresholds = DEFAULT_THRESHOLDS, banner = "") {
  return byCheck(evaluateHost({ stdout: scriptOutput(facts, banner), stderr: "" }, thresholds, NOW));
}

describe("evaluateHost over realistic check-script outputs", () => {
  it("passes every control of a compliant server whose own RMM is on the partner's allow-list", () => {
    const v = run(compliantServer2022, datto, psBanner);
    expect(Object.values(v).map((x) => [x.check, x.status])).toEqual([
      ["bitlocker", "pass"],
      ["defender", "pass"],
      ["firewall", "pass"],
      ["patches", "pass"],
      ["screenlock", "pass"],
      ["rmm", "pass"],
    ]);
    expect(v.patches?.observed).toBe("last update installed 2026-11-19 (13 days ago)");
    expect(v.screenlock?.observed).toBe("machine inactivity limit 600 s");
    expect(v.rmm?.observed).toBe("only allowed tools: Datto RMM (installed, process, service running)");
  });

  it("fails the partner's own RMM when it is not on the allow-list", () => {
    const v = run(compliantServer2022);
    expect(v.rmm?.status).toBe("fail");
    expect(v.rmm?.observed).toContain("Datto RMM");
  });

  it("fails a neglected server and says what is wrong in each control", () => {
    const v = run(neglectedServer2016);
    expect(v.bitlocker).toMatchObject({ status: "fail", observed: "C:: fully encrypted, protection off" });
    expect(v.defender).toMatchObject({
      status: "fail",
      observed: "antivirus on, real-time off, signatures 61 days old",
    });
    expect(v.firewall).toMatchObject({ status: "fail", observed: "Domain on; Private, Public off; service running" });
    expect(v.patches?.status).toBe("fail");
    expect(v.patches?.observed).toBe(
      "last update installed 2026-07-14 (141 days ago); reboot pending (Windows Update, pending file renames)",
    );
    expect(v.screenlock).toMatchObject({ status: "fail", observed: "screen saver policy 900 s, no password" });
    expect(v.rmm).toMatchObject({
      status: "fail",
      observed: "AnyDesk (installed); TeamViewer (installed, process, service running)",
    });
  });

  it("on Server Core: BitLocker and Defender missing fail with words, unreadable patch dates are unknown", () => {
    const v = run(serverCoreWithoutFeatures);
    expect(v.bitlocker).toMatchObject({ status: "fail", observed: "BitLocker is not installed on this server" });
    expect(v.defender?.status).toBe("fail");
    expect(v.defender?.observed).toContain("not installed");
    expect(v.firewall?.status).toBe("pass");
    expect(v.patches).toMatchObject({ status: "unknown", observed: "no update date could be read" });
    expect(v.patches?.error).toBe("none of the 1 installed updates has a readable date");
    expect(v.screenlock?.status).toBe("fail");
    expect(v.screenlock?.observed).toMatch(/^no screen-lock policy/);
    expect(v.rmm).toMatchObject({ status: "pass", observed: "none detected" });
  });

  it("reads localised dates, never passes a null, and keeps one unreadable control from hiding the others", () => {
    const v = run(germanLocaleServer);
    expect(v.bitlocker).toMatchObject({ status: "pass", observed: "C:: fully encrypted, protection on" });
    // RealTimeProtectionEnabled came back null: unknown, not "on".
    expect(v.defender).toMatchObject({
      status: "unknown",
      observed: "antivirus on, real-time unknown, signatures 1 days old",
    });
    // Only the Domain profile was listed (a one-element array flattened): the other two are unknown, not on.
    expect(v.firewall).toMatchObject({
      status: "unknown",
      observed: "Domain on; Private, Public unknown; service running",
    });
    // "20.11.2026" is day-first: 12 days ago.
    expect(v.patches).toMatchObject({ status: "pass", observed: "last update installed 2026-11-20 (12 days ago)" });
    // Inactivity limit 0 means "off"; the users' screen-saver policy (300 s, secure) satisfies the control.
    expect(v.screenlock).toMatchObject({ status: "pass", observed: "screen saver policy 300 s, password-protected" });
    expect(v.rmm).toMatchObject({ status: "unknown", error: "Zugriff verweigert" });
  });

  it("an unreadable firewall profile is unknown, never enabled (the upstream agent counted it as on)", () => {
    const facts = structuredClone(compliantServer2022);
    (facts.firewall as { profiles: unknown[] }).profiles[2] = { name: "Public", enabled: "NotConfigured" };
    expect(run(facts).firewall).toMatchObject({
      status: "unknown",
      observed: "Domain, Private on; Public unknown; service running",
    });
  });

  it("a stopped firewall service fails even with every profile on", () => {
    const facts = structuredClone(compliantServer2022);
    (facts.firewall as { service_status: string }).service_status = "Stopped";
    expect(run(facts).firewall?.status).toBe("fail");
  });

  it("Defender in passive mode fails and says so", () => {
    const facts = structuredClone(compliantServer2022);
    (facts.defender as { running_mode: string }).running_mode = "Passive Mode";
    expect(run(facts).defender).toMatchObject({
      status: "fail",
      observed: expect.stringContaining("mode: Passive Mode"),
    });
  });

  it("uses the partner's thresholds", () => {
    const strict = { ...DEFAULT_THRESHOLDS, patchMaxAgeDays: 7, screenLockMaxSeconds: 300 };
    const v = run(compliantServer2022, strict);
    expect(v.patches).toMatchObject({ status: "fail", expected: "an update installed within the last 7 days" });
    expect(v.screenlock?.status).toBe("fail");
  });

  it("a section the host did not report is unknown with the reason", () => {
    const { defender: _omitted, ...rest } = compliantServer2022;
    expect(run(rest).defender).toMatchObject({ status: "unknown", error: "not reported by the host" });
  });

  it("a script that died prints no facts: every control is an error carrying the readable reason", () => {
    const verdicts = evaluateHost({ stdout: "", stderr: clixmlStderr }, DEFAULT_THRESHOLDS, NOW);
    expect(verdicts).toHaveLength(6);
    for (const v of verdicts) {
      expect(v.status).toBe("error");
      expect(v.expected).not.toBe("");
      expect(v.error).toContain("the check script failed");
    }
  });

  it("output cut off mid-JSON is an error, not a pass", () => {
    const cut = scriptOutput(compliantServer2022).slice(0, 200);
    const verdicts = evaluateHost({ stdout: cut, stderr: "" }, DEFAULT_THRESHOLDS, NOW);
    expect(verdicts.every((v) => v.status === "error")).toBe(true);
    expect(verdicts[0]?.error).toContain("cut off");
  });
});
