import { describe, expect, it } from "vitest";
import { contrastRatio, readableTextOn } from "@/app/lib/readable-text";

describe("readableTextOn", () => {
  it("gives text of at least 4.5:1 on every grey and on brand-like colours", () => {
    const colours = ["#2563EB", "#0EA5E9", "#F59E0B", "#10B981", "#777777", "#808080", "#FF0000", "#EAB308"];
    for (let v = 0; v < 256; v += 5) colours.push(`#${v.toString(16).padStart(2, "0").repeat(3)}`);
    for (const bg of colours) expect(contrastRatio(bg, readableTextOn(bg))).toBeGreaterThanOrEqual(4.5);
  });

  it("picks white on dark and black on light colours", () => {
    expect(readableTextOn("#0F172A")).toBe("#FFFFFF");
    expect(readableTextOn("#FDE68A")).toBe("#000000");
    // Mid-tones a 0.4-luminance cut-off would give white text of about 3:1.
    expect(readableTextOn("#8A8A8A")).toBe("#000000");
  });

  it("computes the WCAG ratio", () => {
    expect(contrastRatio("#000000", "#FFFFFF")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#FFFFFF")).toBeCloseTo(4.48, 2);
  });
});
