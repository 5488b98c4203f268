/**
 * The one controls table: six controls, each with its HIPAA citation written bare, exactly as issue 9 lists
 * them (a citation changed here changes it in the API, the alerts and the UI at once), and the results
 * contract accepts exactly the table's checks.
 */
import { describe, expect, it } from "vitest";
import {
  COMPLIANCE_CHECKS,
  COMPLIANCE_CONTROLS,
  ComplianceCheckName,
  complianceControl,
  ScanResultsRequest,
} from "@/server/contracts";
import { ALERT_LISTED, describeFailures } from "@/server/domain/compliance/compliance-alert";

describe("compliance controls table", () => {
  it("pins each control's citation", () => {
    expect(Object.fromEntries(COMPLIANCE_CONTROLS.map((c) => [c.check, c.hipaa_control]))).toEqual({
      bitlocker: "164.312(a)(2)(iv)",
      defender: "164.308(a)(5)(ii)(B)",
      firewall: "164.312(e)(1)",
      patches: "164.308(a)(1)(ii)(B)",
      screenlock: "164.312(a)(2)(iii)",
      rmm: "164.312(a)(1)",
    });
  });

  it("writes citations bare: no §, no 45 CFR, no spaces", () => {
    for (const c of COMPLIANCE_CONTROLS) expect(c.hipaa_control).toMatch(/^164\.3\d\d(\([0-9a-zA-Z]+\))+$/);
  });

  it("gives every control a name and a one-line rationale", () => {
    for (const c of COMPLIANCE_CONTROLS) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.rationale.length).toBeGreaterThan(20);
      expect(c.rationale).not.toContain("\n");
    }
    expect(new Set(COMPLIANCE_CONTROLS.map((c) => c.check)).size).toBe(6);
  });

  it("is the contract's list of checks, and looks a check up or refuses an unknown one", () => {
    expect(ComplianceCheckName.options).toEqual(COMPLIANCE_CHECKS);
    expect(complianceControl("firewall").name).toBe("Firewall");
    expect(() => complianceControl("antivirus")).toThrow(/Unknown compliance check/);
    const parsed = ScanResultsRequest.safeParse({
      appliance_id: "a",
      batch_id: "b",
      results: [{ hostname: "h", check: "antivirus", status: "pass", observed: "", expected: "", checked_at: "x" }],
    });
    expect(parsed.success).toBe(false);
  });
});

describe("compliance alert wording", () => {
  it("names each host and control with its citation, a dozen at most, then 'and N more'", () => {
    const failing = Array.from({ length: ALERT_LISTED + 3 }, (_, i) => ({
      hostname: `srv${i}.clinic.test`,
      check: "screenlock",
      observed: "timeout 900 s",
    }));
    const lines = describeFailures(failing).split("\n");
    expect(lines).toHaveLength(ALERT_LISTED + 1);
    expect(lines[0]).toBe("srv0.clinic.test: Screen lock (164.312(a)(2)(iii)) failing: timeout 900 s");
    expect(lines.at(-1)).toBe("and 3 more.");
    expect(describeFailures(failing.slice(0, 1)).split("\n")).toHaveLength(1);
  });
});
