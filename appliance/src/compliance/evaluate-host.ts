/**
 * The six verdicts for one host from the check script's output. A host whose script printed no facts gets
 * "error" for every control with the reason (the script failed); otherwise each control is judged on its
 * own section, so one unreadable control never hides the other five.
 */
import type { CheckId, CheckVerdict } from "./check-result";
import { evaluateBitlocker } from "./checks/bitlocker";
import { evaluateDefender } from "./checks/defender";
import { evaluateFirewall } from "./checks/firewall";
import { evaluatePatches } from "./checks/patches";
import { evaluateRmm } from "./checks/rmm";
import { evaluateScreenlock } from "./checks/screenlock";
import { parseHostFacts, type SectionFacts, type SectionName } from "./host-facts";
import type { ComplianceThresholds } from "./thresholds";

export const CHECK_IDS: readonly CheckId[] = ["bitlocker", "defender", "firewall", "patches", "screenlock", "rmm"];

/** Every control as "error" with one reason: the host could not be scanned at all. */
export function hostFailed(reason: string, thresholds: ComplianceThresholds, now: Date): CheckVerdict[] {
  // The evaluators' own answer to an unreadable section carries each control's expectation.
  const unread = { ok: false as const, error: reason };
  return judge(
    { bitlocker: unread, defender: unread, firewall: unread, patches: unread, screenlock: unread, rmm: unread },
    thresholds,
    now,
  ).map((verdict) => ({ ...verdict, status: "error", observed: "not scanned", error: reason }));
}

function judge(
  s: Readonly<Record<SectionName, SectionFacts>>,
  thresholds: ComplianceThresholds,
  now: Date,
): CheckVerdict[] {
  return [
    evaluateBitlocker(s.bitlocker),
    evaluateDefender(s.defender, thresholds, now),
    evaluateFirewall(s.firewall),
    evaluatePatches(s.patches, thresholds, now),
    evaluateScreenlock(s.screenlock, thresholds),
    evaluateRmm(s.rmm, thresholds),
  ];
}

export function evaluateHost(
  output: { stdout: string; stderr: string },
  thresholds: ComplianceThresholds,
  now: Date,
): CheckVerdict[] {
  const facts = parseHostFacts(output.stdout, output.stderr);
  if (!facts.ok) return hostFailed(`the check script failed: ${facts.error}`, thresholds, now);
  return judge(facts.sections, thresholds, now);
}
