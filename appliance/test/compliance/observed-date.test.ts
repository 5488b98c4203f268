import { describe, expect, it } from "vitest";
import { readObservedDate } from "../../src/compliance/observed-date";

const now = new Date("2026-12-02T12:00:00Z");
const day = (text: string) => readObservedDate(now, text)?.toISOString().slice(0, 10);

describe("readObservedDate", () => {
  it("reads ISO 8601 with PowerShell's seven fractional digits", () => {
    expect(readObservedDate(now, "2026-11-19T03:12:44.1234567Z")?.toISOString()).toBe("2026-11-19T03:12:44.123Z");
  });

  it("reads PowerShell 5.1's /Date(ms)/ form", () => {
    expect(day("/Date(1795000000000)/")).toBe("2026-11-18");
    expect(day("\\/Date(1795000000000)\\/")).toBe("2026-11-18");
  });

  it("reads localised InstalledOn strings", () => {
    expect(day("20.11.2026")).toBe("2026-11-20"); // German: day first
    expect(day("2026/11/20")).toBe("2026-11-20");
    expect(day("11/20/2026")).toBe("2026-11-20"); // US: only one reading is a date
    expect(day("20/11/2026")).toBe("2026-11-20"); // UK
    expect(day("20261120")).toBe("2026-11-20");
  });

  it("takes the older reading when day and month cannot be told apart", () => {
    expect(day("03/04/2026")).toBe("2026-03-04");
    expect(day("04/03/2026")).toBe("2026-03-04");
  });

  it("reads a hex FILETIME", () => {
    // 2026-11-20T00:00:00Z in 100 ns ticks since 1601.
    const ticks = (BigInt(Date.UTC(2026, 10, 20)) + 11_644_473_600_000n) * 10_000n;
    expect(day(ticks.toString(16))).toBe("2026-11-20");
  });

  it("refuses what is not a plausible date instead of guessing", () => {
    for (const bad of ["", "n/a", "31.02.2026", "1/1/1601", "2030-01-01T00:00:00Z", "13/13/2026", "Mittwoch"]) {
      expect(readObservedDate(now, bad)).toBeUndefined();
    }
    expect(readObservedDate(now, null, undefined, 42)).toBeUndefined();
  });

  it("falls through to the next candidate", () => {
    expect(readObservedDate(now, null, "garbage", "2026-11-01")?.toISOString().slice(0, 10)).toBe("2026-11-01");
  });
});
