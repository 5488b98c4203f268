import { describe, expect, it } from "vitest";
import { parseServerTiming, startServerTiming } from "@/server/http/server-timing";

describe("Server-Timing", () => {
  it("writes the app duration in milliseconds with one decimal", async () => {
    const timing = startServerTiming();
    await new Promise((r) => setTimeout(r, 5));
    const header = timing.header();
    expect(header).toMatch(/^app;dur=\d+\.\d$/);
    expect(parseServerTiming(header)).toBeGreaterThanOrEqual(4);
  });

  it("reads the named metric among several, and null when it is missing or malformed", () => {
    expect(parseServerTiming('db;dur=3.5, app;desc="list";dur=12.25')).toBe(12.25);
    expect(parseServerTiming("db;dur=3.5", "db")).toBe(3.5);
    expect(parseServerTiming("db;dur=3.5")).toBeNull();
    expect(parseServerTiming("app;dur=soon")).toBeNull();
    expect(parseServerTiming("app")).toBeNull();
    expect(parseServerTiming(null)).toBeNull();
  });
});
