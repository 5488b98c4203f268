/**
 * Turns the check script's stdout into per-section facts, trusting nothing about its shape: the JSON is
 * found after its marker (banners, warnings and progress text around it are ignored), a section that is
 * missing, not an object, or that reports its own error is an unreadable section, and the evaluation of
 * that control is "unknown", never "pass".
 */
import { CHECK_SCRIPT_OUTPUT_MARKER } from "./check-script";

export const SECTIONS = ["bitlocker", "defender", "firewall", "patches", "screenlock", "rmm"] as const;
export type SectionName = (typeof SECTIONS)[number];

export type Facts = Readonly<Record<string, unknown>>;
export type SectionFacts =
  | { readonly ok: true; readonly facts: Facts }
  | { readonly ok: false; readonly error: string };

export type HostFacts =
  | { readonly ok: true; readonly sections: Readonly<Record<SectionName, SectionFacts>> }
  | { readonly ok: false; readonly error: string };

const MAX_ERROR_CHARS = 300;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function trimError(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_ERROR_CHARS ? `${oneLine.slice(0, MAX_ERROR_CHARS - 1)}…` : oneLine;
}

function readSection(value: unknown): SectionFacts {
  if (!isObject(value)) return { ok: false, error: "not reported by the host" };
  if (typeof value.error === "string" && value.error.trim() !== "") return { ok: false, error: trimError(value.error) };
  return { ok: true, facts: value };
}

function findJson(stdout: string): string | undefined {
  const at = stdout.lastIndexOf(CHECK_SCRIPT_OUTPUT_MARKER);
  if (at < 0) return undefined;
  const rest = stdout.slice(at + CHECK_SCRIPT_OUTPUT_MARKER.length);
  const end = rest.indexOf("\n");
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

/** Parses what the check script printed; `stderr` only explains a run that printed no facts. */
export function parseHostFacts(stdout: string, stderr = ""): HostFacts {
  const json = findJson(stdout);
  if (json === undefined) {
    const why = stderr.trim() !== "" ? trimError(stderr) : "the check script printed no results";
    return { ok: false, error: why };
  }
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    return { ok: false, error: "the check script's output was cut off or is not valid JSON" };
  }
  if (!isObject(root)) return { ok: false, error: "the check script's output is not an object" };
  const sections = Object.fromEntries(SECTIONS.map((name) => [name, readSection(root[name])])) as Record<
    SectionName,
    SectionFacts
  >;
  return { ok: true, sections };
}

// Field readers: PowerShell 5.1 writes booleans as true/false, "True"/"False" or 1/0 depending on the
// source (CIM, registry, cmdlet), and nulls for what it could not read. Anything else reads as undefined.

export function readBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === "1") return true;
  if (value === 0 || value === "0") return false;
  if (typeof value === "string") {
    const s = value.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  return undefined;
}

export function readNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

export function readString(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An array field; PowerShell may flatten a one-element array to its element. */
export function readArray(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return undefined;
  return [value];
}

export function readObjects(value: unknown): readonly Facts[] | undefined {
  const items = readArray(value);
  return items?.filter(isObject);
}
