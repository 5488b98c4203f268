/**
 * Defender: antivirus and real-time protection on, signatures recent. Passive mode (another antivirus is
 * primary) and a missing Defender fail with that said, so the partner can judge; a null from
 * Get-MpComputerStatus is "unknown", never "on".
 */
import { type CheckVerdict, unreadable } from "../check-result";
import { readBool, readNumber, readString, type SectionFacts } from "../host-facts";
import { daysBetween, readObservedDate } from "../observed-date";
import type { ComplianceThresholds } from "../thresholds";

/** Get-MpComputerStatus reports 65535 days when signatures were never updated. */
const NEVER_UPDATED_DAYS = 65_535;

function onOff(value: boolean | undefined): string {
  return value === undefined ? "unknown" : value ? "on" : "off";
}

export function evaluateDefender(section: SectionFacts, thresholds: ComplianceThresholds, now: Date): CheckVerdict {
  const maxAge = thresholds.defenderSignatureMaxAgeDays;
  const expected = `antivirus and real-time protection on, signatures at most ${maxAge} days old`;
  if (!section.ok) return unreadable("defender", expected, section.error);
  const { facts } = section;
  if (readBool(facts.feature_missing) === true) {
    return {
      check: "defender",
      status: "fail",
      observed: "Microsoft Defender is not installed (is another antivirus in use?)",
      expected,
    };
  }
  const antivirus = readBool(facts.antivirus_enabled);
  const realtime = readBool(facts.realtime_enabled);
  const mode = readString(facts.running_mode);
  const updated = readObservedDate(now, facts.signature_updated);
  const reportedAge = readNumber(facts.signature_age_days);
  const age = updated
    ? daysBetween(updated, now)
    : reportedAge !== undefined && reportedAge >= 0 && reportedAge < NEVER_UPDATED_DAYS
      ? reportedAge
      : undefined;
  const never = reportedAge === NEVER_UPDATED_DAYS;
  const parts = [
    `antivirus ${onOff(antivirus)}`,
    `real-time ${onOff(realtime)}`,
    never ? "signatures never updated" : age === undefined ? "signature age unknown" : `signatures ${age} days old`,
  ];
  if (mode && !/^normal$/i.test(mode)) parts.push(`mode: ${mode}`);
  const observed = parts.join(", ");
  const passive = mode !== undefined && /passive|edr block|sxs/i.test(mode);
  const failed = antivirus === false || realtime === false || passive || never || (age !== undefined && age > maxAge);
  if (failed) return { check: "defender", status: "fail", observed, expected };
  if (antivirus === true && realtime === true && age !== undefined) {
    return { check: "defender", status: "pass", observed, expected };
  }
  return { check: "defender", status: "unknown", observed, expected };
}
