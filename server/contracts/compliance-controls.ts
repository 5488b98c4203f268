/**
 * The one table of compliance controls: what each check is called, its HIPAA citation and why it matters.
 * Server (results, alerts, the partner API) and UI (matrix headers, tooltips, CSV) read it from here, so a
 * control never carries two different citations in two places. Citations are written bare (no "§", no
 * "45 CFR"); tests/unit/compliance-controls.test.ts pins them. Adding a control is adding a row: the check
 * enum of the results contract is derived from this table.
 */

export type ComplianceControl = {
  /** The wire name of the check (`check` in scan results). */
  check: string;
  /** What a person calls it. */
  name: string;
  /** The HIPAA Security Rule citation, bare, e.g. 164.312(a)(2)(iv). */
  hipaa_control: string;
  /** One line: why the control matters. */
  rationale: string;
};

export const COMPLIANCE_CONTROLS = [
  {
    check: "bitlocker",
    name: "BitLocker",
    hipaa_control: "164.312(a)(2)(iv)",
    rationale: "Encryption and decryption: the OS volume is encrypted, so a stolen disk does not expose ePHI.",
  },
  {
    check: "defender",
    name: "Defender",
    hipaa_control: "164.308(a)(5)(ii)(B)",
    rationale: "Protection from malicious software: antivirus and real-time protection on, signatures recent.",
  },
  {
    check: "firewall",
    name: "Firewall",
    hipaa_control: "164.312(e)(1)",
    rationale: "Transmission security: all three firewall profiles on and the service running.",
  },
  {
    check: "patches",
    name: "Patches",
    hipaa_control: "164.308(a)(1)(ii)(B)",
    rationale: "Risk management: recent updates reduce known vulnerabilities to a reasonable level.",
  },
  {
    check: "screenlock",
    name: "Screen lock",
    hipaa_control: "164.312(a)(2)(iii)",
    rationale: "Automatic logoff: an unattended session locks within 10 minutes and needs a password.",
  },
  {
    check: "rmm",
    name: "Remote-access tools",
    hipaa_control: "164.312(a)(1)",
    rationale: "Access control: only approved remote-access tools can reach the machine.",
  },
] as const satisfies readonly ComplianceControl[];

export type ComplianceCheck = (typeof COMPLIANCE_CONTROLS)[number]["check"];

export const COMPLIANCE_CHECKS = COMPLIANCE_CONTROLS.map((c) => c.check) as [ComplianceCheck, ...ComplianceCheck[]];

const BY_CHECK = new Map<string, ComplianceControl>(COMPLIANCE_CONTROLS.map((c) => [c.check, c]));

/** The control of a check; throws for a name that is not in the table (the contract refuses those first). */
export function complianceControl(check: string): ComplianceControl {
  const control = BY_CHECK.get(check);
  if (!control) throw new Error(`Unknown compliance check "${check}"`);
  return control;
}
