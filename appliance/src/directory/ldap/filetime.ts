/**
 * Active Directory times (lastLogonTimestamp, pwdLastSet, accountExpires) are Windows FILETIMEs: 100-ns ticks
 * since 1601-01-01 UTC, as a decimal string. 0 and 0x7FFFFFFFFFFFFFFF mean "never".
 */
const EPOCH_OFFSET_MS = 11_644_473_600_000n;
const TICKS_PER_MS = 10_000n;
const NEVER = 0x7fff_ffff_ffff_ffffn;

/** The date a FILETIME string stands for, or null for "never", an empty or a malformed value. */
export function filetimeToDate(value: string | undefined | null): Date | null {
  if (value === undefined || value === null || !/^\d+$/.test(value)) return null;
  const ticks = BigInt(value);
  if (ticks === 0n || ticks >= NEVER) return null;
  return new Date(Number(ticks / TICKS_PER_MS - EPOCH_OFFSET_MS));
}

/** The FILETIME string of a date (whole milliseconds). */
export function dateToFiletime(date: Date): string {
  return ((BigInt(date.getTime()) + EPOCH_OFFSET_MS) * TICKS_PER_MS).toString();
}
