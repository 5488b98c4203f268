/**
 * Answers the appliance's compliance check script as a Windows server in a given state would: the same
 * marker line and JSON facts the real script prints (appliance/src/compliance/check-script.ts), so the
 * appliance's parser and evaluators run unchanged against the double.
 *
 * A host's state sets all six controls at once (compliant, non_compliant, unreadable); per-host overrides
 * change single controls, so a test can turn one host's firewall off and watch the drift arrive.
 */
import type { CheckId } from "../../../appliance/src/compliance/check-result";
import { CHECK_SCRIPT_OUTPUT_MARKER, CHECK_SCRIPT_SCHEMA } from "../../../appliance/src/compliance/check-script";
import type { CheckScriptResponder, HostState } from "./script-runner";

export type ControlState = "pass" | "fail" | "unreadable";
export type ControlOverrides = Partial<Record<CheckId, ControlState>>;

const DAY = 86_400_000;

function section(check: CheckId, state: ControlState, now: Date): Record<string, unknown> {
  if (state === "unreadable")
    return { error: "Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))" };
  const pass = state === "pass";
  const iso = (ms: number) => new Date(now.getTime() - ms).toISOString();
  switch (check) {
    case "bitlocker":
      return {
        source: "Get-BitLockerVolume",
        mount_point: "C:",
        protection_status: pass ? "On" : "Off",
        volume_status: pass ? "FullyEncrypted" : "FullyDecrypted",
        encryption_percentage: pass ? 100 : 0,
        error: null,
      };
    case "defender":
      return {
        antivirus_enabled: true,
        realtime_enabled: pass,
        service_enabled: true,
        signature_updated: iso(pass ? DAY : 40 * DAY),
        signature_age_days: pass ? 1 : 40,
        running_mode: "Normal",
        error: null,
      };
    case "firewall":
      return {
        profiles: [
          { name: "Domain", enabled: "True" },
          { name: "Private", enabled: pass ? "True" : "False" },
          { name: "Public", enabled: pass ? "True" : "False" },
        ],
        service_status: "Running",
        error: null,
      };
    case "patches":
      return {
        wu_last_installed: iso(pass ? 5 * DAY : 120 * DAY),
        wu_error: null,
        hotfixes: [{ id: "KB5046617", installed_on: iso(pass ? 5 * DAY : 120 * DAY), installed_on_raw: "" }],
        reboot_reasons: [],
        error: null,
      };
    case "screenlock":
      return { inactivity_timeout_secs: pass ? 600 : null, screensaver_policies: [], error: null };
    case "rmm":
      return {
        services: [
          { name: "WinRM", display_name: "Windows Remote Management (WS-Management)", state: "Running" },
          ...(pass ? [] : [{ name: "AnyDesk", display_name: "AnyDesk Service", state: "Running" }]),
        ],
        programs: pass ? ["Microsoft Edge"] : ["Microsoft Edge", "AnyDesk"],
        processes: ["svchost", "wsmprovhost"],
        error: null,
      };
  }
}

const CHECKS: CheckId[] = ["bitlocker", "defender", "firewall", "patches", "screenlock", "rmm"];

function baseline(state: HostState): ControlState {
  if (state === "non_compliant") return "fail";
  if (state === "unreadable") return "unreadable";
  return "pass";
}

/** The facts a host in `state` (with `overrides`) prints, as the check script would print them. */
export function checkScriptOutput(
  host: string,
  state: HostState,
  overrides: ControlOverrides = {},
  now = new Date(),
): string {
  const facts: Record<string, unknown> = {
    schema: CHECK_SCRIPT_SCHEMA,
    collected_at: now.toISOString(),
    computer: host.split(".")[0]?.toUpperCase(),
  };
  for (const check of CHECKS) facts[check] = section(check, overrides[check] ?? baseline(state), now);
  return `${CHECK_SCRIPT_OUTPUT_MARKER}${JSON.stringify(facts)}\r\n`;
}

/** A responder for startWinRmDouble; `overrides(host)` is read at each scan, so a test can flip a control. */
export function complianceResponder(overrides: (host: string) => ControlOverrides = () => ({})): CheckScriptResponder {
  return (state, _script, host) => checkScriptOutput(host, state, overrides(host));
}
