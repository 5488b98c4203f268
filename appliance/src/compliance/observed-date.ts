/**
 * Reads a date a Windows host reported, defensively. The check script sends ISO 8601 written with the
 * invariant culture where PowerShell could convert it, and the raw text where Windows stores a localised
 * string (Win32_QuickFixEngineering.InstalledOn: "3/15/2024", "15.03.2024", "2024-03-15", or a FILETIME in
 * hex). A date that cannot be read is undefined, never "now": callers turn that into "unknown".
 *
 * Day/month order that cannot be told apart ("03/04/2024") resolves to the OLDER reading, so a patch age
 * is never made to look more recent than it may be.
 */
const EARLIEST = Date.UTC(2000, 0, 1);
/** Clock skew between the host and the appliance tolerated before a date counts as nonsense. */
const FUTURE_SLACK_MS = 36 * 3600_000;

function plausible(ms: number, now: Date): Date | undefined {
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > now.getTime() + FUTURE_SLACK_MS) return undefined;
  return new Date(ms);
}

function utc(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? ms : undefined;
}

function parseText(text: string): number | undefined {
  const s = text.trim();
  const msDate = /^\/?Date\((-?\d+)(?:[+-]\d{4})?\)\/?$/.exec(s.replace(/\\\//g, "/"));
  if (msDate) return Number(msDate[1]);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : ms;
  }
  // A FILETIME written in hex (seen in InstalledOn on some Windows builds): 100 ns ticks since 1601.
  if (/^[0-9a-f]{15,16}$/i.test(s)) return Number(BigInt(`0x${s}`) / 10_000n) - 11_644_473_600_000;
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s.*)?$/.exec(s);
  if (ymd) return utc(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (compact) return utc(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  // "15.03.2024" (German, Russian, …) is always day first.
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?(?:\s.*)?$/.exec(s);
  if (dotted) return utc(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]));
  const slashed = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:\s.*)?$/.exec(s);
  if (slashed) {
    const [a, b, year] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
    const dayFirst = utc(year, b, a);
    const monthFirst = utc(year, a, b);
    if (dayFirst === undefined) return monthFirst;
    if (monthFirst === undefined) return dayFirst;
    return Math.min(dayFirst, monthFirst);
  }
  return undefined;
}

/** The first of the candidates that reads as a plausible date (not before 2000, not in the future). */
export function readObservedDate(now: Date, ...candidates: unknown[]): Date | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== "string" || candidate.trim() === "") continue;
    const ms = parseText(candidate);
    const date = ms === undefined ? undefined : plausible(ms, now);
    if (date) return date;
  }
  return undefined;
}

/** Whole days from `then` to `now` (0 for a date slightly in the future). */
export function daysBetween(then: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - then.getTime()) / 86_400_000));
}

/** 2026-11-20, for observed values a technician reads. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
