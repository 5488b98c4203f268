/**
 * Screen lock, from machine policy only: "Interactive logon: Machine inactivity limit"
 * (InactivityTimeoutSecs under HKLM) or the screen-saver Group Policy as it reached the users' hives
 * (.DEFAULT and the loaded profiles other than the scanning account's: its own HKCU says nothing about
 * the people who sit at the server). Compliant when either locks within the limit with a password.
 */
import { type CheckVerdict, unreadable } from "../check-result";
import { readNumber, readObjects, readString, type SectionFacts } from "../host-facts";
import type { ComplianceThresholds } from "../thresholds";

interface ScreensaverPolicy {
  hive: string;
  active: boolean | undefined;
  secure: boolean | undefined;
  timeout: number | undefined;
}

function flag(value: unknown): boolean | undefined {
  const s = readString(value);
  return s === "1" ? true : s === "0" ? false : undefined;
}

function describePolicy(policy: ScreensaverPolicy): string {
  const timeout = policy.timeout === undefined ? "no timeout" : `${policy.timeout} s`;
  const secure = policy.secure ? "password-protected" : "no password";
  return `screen saver policy ${policy.active === false ? "off" : timeout}, ${secure}`;
}

export function evaluateScreenlock(section: SectionFacts, thresholds: ComplianceThresholds): CheckVerdict {
  const max = thresholds.screenLockMaxSeconds;
  const expected = `locks after at most ${max} s of inactivity, password required (machine policy)`;
  if (!section.ok) return unreadable("screenlock", expected, section.error);
  const inactivity = readNumber(section.facts.inactivity_timeout_secs);
  const policies: ScreensaverPolicy[] = (readObjects(section.facts.screensaver_policies) ?? []).map((p) => ({
    hive: readString(p.hive) ?? "?",
    active: flag(p.active),
    secure: flag(p.secure),
    timeout: readNumber(p.timeout),
  }));
  const inactivityOk = inactivity !== undefined && inactivity > 0 && inactivity <= max;
  if (inactivityOk) {
    return { check: "screenlock", status: "pass", observed: `machine inactivity limit ${inactivity} s`, expected };
  }
  const compliant = policies.find(
    (p) => p.active !== false && p.secure === true && p.timeout !== undefined && p.timeout > 0 && p.timeout <= max,
  );
  if (compliant) return { check: "screenlock", status: "pass", observed: describePolicy(compliant), expected };
  const parts: string[] = [];
  if (inactivity !== undefined && inactivity > 0) parts.push(`machine inactivity limit ${inactivity} s`);
  const seen = policies[0];
  if (seen) parts.push(describePolicy(seen));
  if (parts.length === 0) {
    return {
      check: "screenlock",
      status: "fail",
      observed: "no screen-lock policy (set 'Interactive logon: Machine inactivity limit' or the screen saver GPO)",
      expected,
    };
  }
  return { check: "screenlock", status: "fail", observed: parts.join("; "), expected };
}
