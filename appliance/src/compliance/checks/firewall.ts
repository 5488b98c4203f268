/**
 * Firewall: the Domain, Private and Public profiles all enabled (as in effect, the active store) and the
 * firewall service running. A profile that is missing or reads as neither True nor False is unknown; a
 * profile known to be off fails even when another could not be read.
 */
import { type CheckVerdict, unreadable } from "../check-result";
import { readBool, readObjects, readString, type SectionFacts } from "../host-facts";

const PROFILES = ["Domain", "Private", "Public"] as const;
const EXPECTED = "Domain, Private and Public profiles on; firewall service running";

export function evaluateFirewall(section: SectionFacts): CheckVerdict {
  if (!section.ok) return unreadable("firewall", EXPECTED, section.error);
  const reported = readObjects(section.facts.profiles) ?? [];
  const state = new Map<string, boolean | undefined>();
  for (const profile of reported) {
    const name = readString(profile.name);
    if (name) state.set(name.toLowerCase(), readBool(profile.enabled));
  }
  const off: string[] = [];
  const unknown: string[] = [];
  for (const name of PROFILES) {
    const enabled = state.get(name.toLowerCase());
    if (enabled === false) off.push(name);
    else if (enabled !== true) unknown.push(name);
  }
  const service = readString(section.facts.service_status);
  const serviceRunning = service === undefined ? undefined : /^running$/i.test(service);
  const parts: string[] = [];
  if (off.length === 0 && unknown.length === 0) parts.push("all 3 profiles on");
  else {
    const on = PROFILES.filter((p) => !off.includes(p) && !unknown.includes(p));
    if (on.length > 0) parts.push(`${on.join(", ")} on`);
    if (off.length > 0) parts.push(`${off.join(", ")} off`);
    if (unknown.length > 0) parts.push(`${unknown.join(", ")} unknown`);
  }
  parts.push(service === undefined ? "service state unknown" : `service ${service.toLowerCase()}`);
  const observed = parts.join("; ");
  if (off.length > 0 || serviceRunning === false)
    return { check: "firewall", status: "fail", observed, expected: EXPECTED };
  if (unknown.length > 0 || serviceRunning === undefined) {
    return { check: "firewall", status: "unknown", observed, expected: EXPECTED };
  }
  return { check: "firewall", status: "pass", observed, expected: EXPECTED };
}
