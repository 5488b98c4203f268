/**
 * Remote-access and RMM tools found on the host (services, installed programs, running processes), against
 * the partner's own allow-list: the partner's RMM does not fail the control, anything else is reported by
 * name and where it was seen. When neither services nor programs could be listed the verdict is "unknown".
 */
import { type CheckVerdict, unreadable } from "../check-result";
import { readArray, readObjects, readString, type SectionFacts } from "../host-facts";
import { isAllowed, matchRemoteTool, type RemoteTool } from "../rmm-catalogue";
import type { ComplianceThresholds } from "../thresholds";

const EXPECTED_BASE = "no third-party remote-access tools";

export function evaluateRmm(section: SectionFacts, thresholds: ComplianceThresholds): CheckVerdict {
  const allow = thresholds.rmmAllowList;
  const expected = allow.length > 0 ? `${EXPECTED_BASE} (allowed: ${allow.join(", ")})` : EXPECTED_BASE;
  if (!section.ok) return unreadable("rmm", expected, section.error);
  const services = readObjects(section.facts.services);
  const programs = readArray(section.facts.programs)?.map(readString);
  const processes = readArray(section.facts.processes)?.map(readString);
  if (services === undefined && programs === undefined) {
    return unreadable("rmm", expected, "neither services nor installed programs could be listed");
  }
  const found = new Map<string, { tool: RemoteTool; where: Set<string> }>();
  const note = (text: string | undefined, where: string) => {
    if (!text) return;
    const tool = matchRemoteTool(text);
    if (!tool) return;
    const entry = found.get(tool.id) ?? { tool, where: new Set<string>() };
    entry.where.add(where);
    found.set(tool.id, entry);
  };
  for (const service of services ?? []) {
    const running = /^running$/i.test(readString(service.state) ?? "");
    note(readString(service.name), running ? "service running" : "service");
    note(readString(service.display_name), running ? "service running" : "service");
  }
  for (const program of programs ?? []) note(program, "installed");
  for (const process of processes ?? []) note(process, "process");
  const tools = [...found.values()].sort((a, b) => a.tool.name.localeCompare(b.tool.name));
  const label = (t: (typeof tools)[number]) => `${t.tool.name} (${[...t.where].sort().join(", ")})`;
  const forbidden = tools.filter((t) => !isAllowed(t.tool, allow));
  if (forbidden.length > 0) {
    return { check: "rmm", status: "fail", observed: forbidden.map(label).join("; "), expected };
  }
  const observed = tools.length > 0 ? `only allowed tools: ${tools.map(label).join("; ")}` : "none detected";
  return { check: "rmm", status: "pass", observed, expected };
}
