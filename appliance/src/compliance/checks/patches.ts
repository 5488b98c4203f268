/**
 * Patches: the newest installed update (Windows Update history, else the hotfix list) is within the
 * partner's age limit. No readable date is "unknown", never "pass" (the seed's upstream agent passed it).
 * A pending reboot is reported beside the verdict: the update is installed but not yet in effect.
 */
import { type CheckVerdict, unreadable } from "../check-result";
import { readArray, readObjects, readString, type SectionFacts } from "../host-facts";
import { daysBetween, formatDay, readObservedDate } from "../observed-date";
import type { ComplianceThresholds } from "../thresholds";

export function evaluatePatches(section: SectionFacts, thresholds: ComplianceThresholds, now: Date): CheckVerdict {
  const maxAge = thresholds.patchMaxAgeDays;
  const expected = `an update installed within the last ${maxAge} days`;
  if (!section.ok) return unreadable("patches", expected, section.error);
  const { facts } = section;
  const dates: Date[] = [];
  const wu = readObservedDate(now, facts.wu_last_installed);
  if (wu) dates.push(wu);
  const hotfixes = readObjects(facts.hotfixes) ?? [];
  for (const hotfix of hotfixes) {
    const date = readObservedDate(now, hotfix.installed_on, hotfix.installed_on_raw);
    if (date) dates.push(date);
  }
  const reasons = (readArray(facts.reboot_reasons) ?? []).map(readString).filter((r): r is string => !!r);
  const reboot = reasons.length > 0 ? `; reboot pending (${reasons.join(", ")})` : "";
  if (dates.length === 0) {
    const why =
      hotfixes.length > 0
        ? `none of the ${hotfixes.length} installed updates has a readable date`
        : (readString(facts.wu_error) ?? "no installed update was listed");
    return {
      check: "patches",
      status: "unknown",
      observed: `no update date could be read${reboot}`,
      expected,
      error: why,
    };
  }
  const newest = new Date(Math.max(...dates.map((d) => d.getTime())));
  const age = daysBetween(newest, now);
  const observed = `last update installed ${formatDay(newest)} (${age} day${age === 1 ? "" : "s"} ago)${reboot}`;
  return { check: "patches", status: age <= maxAge ? "pass" : "fail", observed, expected };
}
