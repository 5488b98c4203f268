/**
 * Check-script outputs as Windows PowerShell 5.1 prints them (ConvertTo-Json -Compress after the marker),
 * modelled on real hosts: a compliant Server 2022, a neglected Server 2016, a Server Core without the
 * BitLocker feature, a German-locale server whose hotfix dates are localised strings, and broken runs.
 */
import { CHECK_SCRIPT_OUTPUT_MARKER } from "../../src/compliance/check-script";

export const NOW = new Date("2026-12-02T12:00:00Z");

type Json = Record<string, unknown>;

export function scriptOutput(facts: Json, banner = ""): string {
  return `${banner}${CHECK_SCRIPT_OUTPUT_MARKER}${JSON.stringify(facts)}\r\n`;
}

const NO_RMM = {
  services: [
    { name: "WinRM", display_name: "Windows Remote Management (WS-Management)", state: "Running" },
    { name: "MpsSvc", display_name: "Windows Defender Firewall", state: "Running" },
  ],
  programs: ["Microsoft Edge", "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130"],
  processes: ["csrss", "lsass", "svchost", "wsmprovhost"],
  error: null,
};

export const compliantServer2022: Json = {
  schema: 1,
  collected_at: "2026-12-02T11:59:58.1234567Z",
  computer: "FS01",
  bitlocker: {
    source: "Get-BitLockerVolume",
    mount_point: "C:",
    protection_status: "On",
    volume_status: "FullyEncrypted",
    encryption_percentage: 100,
    error: null,
  },
  defender: {
    antivirus_enabled: true,
    realtime_enabled: true,
    service_enabled: true,
    signature_updated: "2026-12-01T22:10:03.0000000Z",
    signature_age_days: 0,
    running_mode: "Normal",
    error: null,
  },
  firewall: {
    profiles: [
      { name: "Domain", enabled: "True" },
      { name: "Private", enabled: "True" },
      { name: "Public", enabled: "True" },
    ],
    service_status: "Running",
    error: null,
  },
  patches: {
    wu_last_installed: "2026-11-19T03:12:44.0000000Z",
    wu_error: null,
    hotfixes: [
      { id: "KB5044281", installed_on: "2026-10-16T00:00:00.0000000Z", installed_on_raw: "10/16/2026" },
      { id: "KB5046617", installed_on: "2026-11-19T00:00:00.0000000Z", installed_on_raw: "11/19/2026" },
    ],
    reboot_reasons: [],
    error: null,
  },
  screenlock: { inactivity_timeout_secs: 600, screensaver_policies: [], error: null },
  rmm: {
    services: [...NO_RMM.services, { name: "CagService", display_name: "Datto RMM", state: "Running" }],
    programs: [...NO_RMM.programs, "Datto RMM"],
    processes: [...NO_RMM.processes, "AEMAgent"],
    error: null,
  },
};

export const neglectedServer2016: Json = {
  schema: 1,
  collected_at: "2026-12-02T11:59:40.0000000Z",
  computer: "APP02",
  bitlocker: {
    source: "Get-BitLockerVolume",
    mount_point: "C:",
    protection_status: "Off",
    volume_status: "FullyEncrypted",
    encryption_percentage: 100,
    error: null,
  },
  defender: {
    antivirus_enabled: true,
    realtime_enabled: false,
    service_enabled: true,
    signature_updated: "2026-10-02T08:00:00.0000000Z",
    signature_age_days: 61,
    running_mode: "Normal",
    error: null,
  },
  firewall: {
    profiles: [
      { name: "Domain", enabled: "True" },
      { name: "Private", enabled: "False" },
      { name: "Public", enabled: "False" },
    ],
    service_status: "Running",
    error: null,
  },
  patches: {
    wu_last_installed: "2026-07-14T02:00:00.0000000Z",
    wu_error: null,
    hotfixes: [{ id: "KB5039214", installed_on: "2026-07-14T00:00:00.0000000Z", installed_on_raw: "7/14/2026" }],
    reboot_reasons: ["Windows Update", "pending file renames"],
    error: null,
  },
  screenlock: {
    inactivity_timeout_secs: null,
    screensaver_policies: [{ hive: ".DEFAULT", active: "1", secure: "0", timeout: "900" }],
    error: null,
  },
  rmm: {
    services: [...NO_RMM.services, { name: "TeamViewer", display_name: "TeamViewer", state: "Running" }],
    programs: [...NO_RMM.programs, "TeamViewer", "AnyDesk"],
    processes: [...NO_RMM.processes, "TeamViewer_Service"],
    error: null,
  },
};

/** Server Core 2019: no BitLocker feature, no Defender cmdlets (Defender feature removed), no GPO. */
export const serverCoreWithoutFeatures: Json = {
  schema: 1,
  collected_at: "2026-12-02T11:58:00.0000000Z",
  computer: "CORE01",
  bitlocker: { source: "none", feature_missing: true, mount_point: "C:", error: null },
  defender: { feature_missing: true, error: null },
  firewall: {
    profiles: [
      { name: "Domain", enabled: "True" },
      { name: "Private", enabled: "True" },
      { name: "Public", enabled: "True" },
    ],
    service_status: "Running",
    error: null,
  },
  patches: {
    wu_last_installed: null,
    wu_error: "Exception from HRESULT: 0x80070005 (E_ACCESSDENIED)",
    hotfixes: [{ id: "KB5043050", installed_on: null, installed_on_raw: "" }],
    reboot_reasons: [],
    error: null,
  },
  screenlock: { inactivity_timeout_secs: null, screensaver_policies: [], error: null },
  rmm: NO_RMM,
};

/** A German-locale server: hotfix dates as Windows stored them, a null from Get-MpComputerStatus. */
export const germanLocaleServer: Json = {
  schema: 1,
  collected_at: "2026-12-02T11:57:00.0000000Z",
  computer: "PRAXIS-DC",
  bitlocker: {
    source: "Win32_EncryptableVolume",
    mount_point: "C:",
    protection_status: "1",
    conversion_status: "1",
    error: null,
  },
  defender: {
    antivirus_enabled: true,
    realtime_enabled: null,
    service_enabled: true,
    signature_updated: null,
    signature_age_days: 1,
    running_mode: "Normal",
    error: null,
  },
  firewall: {
    profiles: { name: "Domain", enabled: "True" },
    service_status: "Running",
    error: null,
  },
  patches: {
    wu_last_installed: null,
    wu_error: null,
    hotfixes: [
      { id: "KB5043064", installed_on: null, installed_on_raw: "12.09.2026" },
      { id: "KB5046612", installed_on: null, installed_on_raw: "20.11.2026" },
    ],
    reboot_reasons: [],
    error: null,
  },
  screenlock: {
    inactivity_timeout_secs: 0,
    screensaver_policies: [
      { hive: "S-1-5-21-1004336348-1177238915-682003330-1105", active: "1", secure: "1", timeout: "300" },
    ],
    error: null,
  },
  rmm: { error: "Zugriff verweigert" },
};

export const psBanner =
  "WARNING: The names of some imported commands from the module 'BitLocker' include unapproved verbs.\r\n";

/** What WinRM returns on stderr when the script dies before printing (CLIXML, as PowerShell writes it). */
export const clixmlStderr =
  '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">Cannot bind argument to parameter \'Path\' because it is null._x000D__x000A_</S></Objs>';
