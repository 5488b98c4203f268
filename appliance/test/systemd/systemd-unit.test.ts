import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const UNIT = path.resolve(import.meta.dirname, "../../systemd/osiris-appliance.service");

/** section → key → values (a key may repeat). Comments and blank lines are skipped. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf("=");
    if (!current || eq < 0) throw new Error(`unexpected line: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

describe("systemd unit example", () => {
  const text = readFileSync(UNIT, "utf8");
  const unit = parseUnit(text);
  const service = unit.get("Service");

  it("runs the daemon as a simple, always-restarting service", () => {
    expect(service?.get("Type")).toEqual(["simple"]);
    expect(service?.get("ExecStart")).toEqual(["/usr/local/bin/osiris-appliance run"]);
    expect(service?.get("Restart")).toEqual(["always"]);
    expect(service?.get("RestartSec")).toEqual(["5"]);
    expect(unit.get("Install")?.get("WantedBy")).toEqual(["multi-user.target"]);
  });

  it("keeps /var/lib/msp at 0700 and hardens the service", () => {
    expect(service?.get("StateDirectory")).toEqual(["msp"]);
    expect(service?.get("StateDirectoryMode")).toEqual(["0700"]);
    expect(service?.get("NoNewPrivileges")).toEqual(["true"]);
    expect(service?.get("ProtectSystem")).toEqual(["strict"]);
    expect(service?.get("ReadWritePaths")).toEqual(["/var/lib/msp"]);
    expect(service?.get("PrivateTmp")).toEqual(["true"]);
    expect(service?.get("ProtectHome")).toEqual(["true"]);
  });

  it("explains first-boot provisioning on the console", () => {
    expect(text).toContain("osiris-appliance --provision-interactive");
  });
});
