import { describe, expect, it } from "vitest";
import { brandCss, DARK_TEXT_BACKGROUND, LIGHT_TEXT_BACKGROUND } from "@/app/lib/brand-css";
import { contrastRatio, contrastText, readableOn } from "@/app/lib/color";

describe("contrastRatio", () => {
  it("is 21 for black on white and 1 for a colour on itself", () => {
    expect(contrastRatio("#000000", "#FFFFFF")).toBeCloseTo(21, 5);
    expect(contrastRatio("#F59E0B", "#F59E0B")).toBe(1);
  });
  it("gives the published figure for amber on white (about 2.15)", () => {
    expect(contrastRatio("#F59E0B", "#FFFFFF")).toBeCloseTo(2.15, 1);
  });
});

describe("contrastText", () => {
  it("picks the better of black and white, reaching 4.5:1 on any colour", () => {
    for (const bg of [
      "#2563EB",
      "#FDE047",
      "#F59E0B",
      "#808080",
      "#767676",
      "#3B82F6",
      "#10B981",
      "#000000",
      "#FFFFFF",
    ]) {
      expect(contrastRatio(contrastText(bg), bg), bg).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastText("#2563EB")).toBe("#FFFFFF");
    expect(contrastText("#FDE047")).toBe("#000000");
  });
});

describe("readableOn", () => {
  it("darkens a light brand colour until it reads at 4.5:1 on white", () => {
    const amber = readableOn("#F59E0B");
    expect(amber).not.toBe("#F59E0B");
    expect(contrastRatio(amber, "#FFFFFF")).toBeGreaterThanOrEqual(4.5);
    // Only as much as needed: still clearly an amber/brown, not black.
    expect(contrastRatio(amber, "#FFFFFF")).toBeLessThan(5.5);
    expect(Number.parseInt(amber.slice(1, 3), 16)).toBeGreaterThan(Number.parseInt(amber.slice(5, 7), 16));
  });
  it("leaves a colour that already reaches 4.5:1 unchanged", () => {
    expect(readableOn("#1D4ED8")).toBe("#1D4ED8");
    expect(readableOn("#2563EB")).toBe("#2563EB");
  });
  it("lightens on a dark background", () => {
    const c = readableOn("#1E3A8A", "#0F172A");
    expect(contrastRatio(c, "#0F172A")).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#1E3A8A", "#0F172A")).toBeLessThan(4.5);
  });
  it("reaches the asked ratio for every grey and a yellow", () => {
    for (const hex of ["#FFFFFF", "#FDE047", "#CCCCCC", "#999999", "#22D3EE"]) {
      expect(contrastRatio(readableOn(hex), "#FFFFFF"), hex).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(readableOn(hex, "#F8FAFC"), "#F8FAFC"), hex).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("brandCss", () => {
  const varsOf = (css: string, scheme: "light" | "dark") => {
    const rule = scheme === "light" ? css.split("@media")[0] : css.slice(css.indexOf("@media"));
    return Object.fromEntries([...(rule ?? "").matchAll(/--([a-z-]+):(#[0-9A-F]{6})/gi)].map((m) => [m[1], m[2]]));
  };
  it("keeps the bar's colour as given and makes brand text readable on the light and the dark page", () => {
    for (const hex of ["#F59E0B", "#2563EB", "#1E3A8A", "#FDE047", "#334155"]) {
      const css = brandCss(hex);
      const light = varsOf(css, "light");
      const dark = varsOf(css, "dark");
      expect(light.brand, hex).toBe(hex);
      expect(contrastRatio(light["brand-text"] ?? "", LIGHT_TEXT_BACKGROUND), hex).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(light["brand-text"] ?? "", "#FFFFFF"), hex).toBeGreaterThanOrEqual(4.5);
      // Dark: the lightest surface text sits on, the card (slate-900) and the page (slate-950).
      for (const bg of [DARK_TEXT_BACKGROUND, "#0F172B", "#020618"]) {
        expect(contrastRatio(dark["brand-text"] ?? "", bg), `${hex} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
  it("puts the dark shade in a screen-only dark media query, so a printout keeps the light one", () => {
    expect(brandCss("#1E3A8A")).toContain("@media screen and (prefers-color-scheme: dark)");
    expect(varsOf(brandCss("#1E3A8A"), "dark")["brand-text"]).not.toBe("#1E3A8A");
  });
});
