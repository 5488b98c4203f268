/**
 * BitLocker: the OS volume is encrypted and its protection is on. Protection "off" on an encrypted volume
 * (suspended for an update and never resumed) is a failure; a server without the BitLocker feature
 * (Server Core's default) has nothing protecting its disk and fails with that said.
 */
import { type CheckVerdict, unreadable } from "../check-result";
import { readBool, readString, type SectionFacts } from "../host-facts";

const EXPECTED = "OS volume encrypted, protection on";

type Known = "yes" | "no" | "unknown";

/** Get-BitLockerVolume says "On"/"Off"/"Unknown"; Win32_EncryptableVolume says 1/0/2. */
function protectionOn(value: unknown): Known {
  const s = readString(value)?.toLowerCase();
  if (s === "on" || s === "1") return "yes";
  if (s === "off" || s === "0") return "no";
  return "unknown";
}

/** VolumeStatus names, or ConversionStatus numbers (0 decrypted, 1 encrypted, 2–5 in progress or paused). */
function encryption(facts: SectionFacts & { ok: true }): string | undefined {
  const named = readString(facts.facts.volume_status);
  if (named) {
    const words: Record<string, string> = {
      fullyencrypted: "fully encrypted",
      fullydecrypted: "not encrypted",
      encryptioninprogress: "encryption in progress",
      decryptioninprogress: "decryption in progress",
      encryptionpaused: "encryption paused",
      decryptionpaused: "decryption paused",
    };
    return words[named.toLowerCase()] ?? named;
  }
  const code = readString(facts.facts.conversion_status);
  const codes: Record<string, string> = {
    "0": "not encrypted",
    "1": "fully encrypted",
    "2": "encryption in progress",
    "3": "decryption in progress",
    "4": "encryption paused",
    "5": "decryption paused",
  };
  return code === undefined ? undefined : (codes[code] ?? `conversion status ${code}`);
}

export function evaluateBitlocker(section: SectionFacts): CheckVerdict {
  if (!section.ok) return unreadable("bitlocker", EXPECTED, section.error);
  const { facts } = section;
  const volume = readString(facts.mount_point) ?? "the OS volume";
  if (readBool(facts.feature_missing) === true) {
    return {
      check: "bitlocker",
      status: "fail",
      observed: "BitLocker is not installed on this server",
      expected: EXPECTED,
    };
  }
  if (readBool(facts.volume_found) === false) {
    return unreadable("bitlocker", EXPECTED, `BitLocker does not list ${volume}`);
  }
  const protection = protectionOn(facts.protection_status);
  const state = encryption(section);
  const observed = `${volume}: ${state ?? "encryption state unknown"}, protection ${
    protection === "yes" ? "on" : protection === "no" ? "off" : "unknown"
  }`;
  if (protection === "no" || state === "not encrypted") {
    return { check: "bitlocker", status: "fail", observed, expected: EXPECTED };
  }
  if (protection === "yes" && state !== undefined) {
    const status = state === "fully encrypted" ? "pass" : "fail";
    return { check: "bitlocker", status, observed, expected: EXPECTED };
  }
  return { check: "bitlocker", status: "unknown", observed, expected: EXPECTED };
}
