import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contrastRatio, luminance } from "@/app/lib/color";

/**
 * The dark palette in app/globals.css: every text/background pair the pages use reads at 4.5:1 or more
 * once the variables are swapped. axe checks the rendered pages (e2e/ui/a11y.spec.ts); this covers pairs a
 * page may not show at test time (an error banner, a failed badge).
 */

const css = readFileSync(path.join(process.cwd(), "app/globals.css"), "utf8");
const block = css.slice(css.indexOf("@media screen and (prefers-color-scheme: dark)"));
const dark = new Map(
  [...block.matchAll(/--color-([a-z]+(?:-\d+)?):\s*([^;]+);/g)].map((m) => [m[1] as string, (m[2] as string).trim()]),
);

const hex2 = (v: number) =>
  Math.round(Math.min(1, Math.max(0, v)) * 255)
    .toString(16)
    .padStart(2, "0")
    .toUpperCase();

/** oklch(L% C h) or #fff to #RRGGBB (Björn Ottosson's OKLab matrices, then sRGB gamma). */
function toHex(value: string): string {
  if (value === "#fff") return "#FFFFFF";
  const m = value.match(/^oklch\(([\d.]+)% ([\d.]+) ([\d.]+)\)$/);
  if (!m) throw new Error(`not an oklch colour: ${value}`);
  const [L, C, h] = [Number(m[1]) / 100, Number(m[2]), (Number(m[3]) * Math.PI) / 180];
  const a = C * Math.cos(h);
  const b = C * Math.sin(h);
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const mm = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const lin = [
    4.0767416621 * l - 3.3077115913 * mm + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * mm - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * mm + 1.707614701 * s,
  ];
  const gamma = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
  return `#${lin.map((c) => hex2(gamma(c))).join("")}`;
}

const colour = (name: string) => {
  const v = dark.get(name);
  if (!v) throw new Error(`--color-${name} is not in the dark palette`);
  return toHex(v);
};

// [text, backgrounds it is used on] as the pages combine them (grep the classes in app/).
const PAIRS: [string, string[]][] = [
  ["slate-900", ["white", "slate-50", "slate-100", "slate-200"]],
  ["slate-800", ["white", "slate-50", "slate-100"]],
  ["slate-700", ["white", "slate-50", "slate-100"]],
  ["slate-600", ["white", "slate-50", "slate-100"]],
  ["slate-500", ["white", "slate-50", "slate-100"]],
  ["white", ["slate-700", "slate-800", "slate-900"]],
  ["red-700", ["white", "slate-50", "red-50", "red-100"]],
  ["red-800", ["white", "red-50", "red-100"]],
  ["amber-800", ["white", "amber-50", "amber-100"]],
  ["amber-900", ["white", "amber-50", "amber-100"]],
  ["emerald-800", ["white", "emerald-50", "emerald-100"]],
  ["sky-800", ["white", "sky-50", "sky-100"]],
  ["sky-900", ["white", "sky-50", "sky-100"]],
  ["blue-700", ["white", "slate-50"]],
  ["blue-800", ["blue-100"]],
];

describe("the dark palette", () => {
  it("is dark: the page and card surfaces are near black, body text near white", () => {
    expect(luminance(colour("slate-50"))).toBeLessThan(0.02);
    expect(luminance(colour("white"))).toBeLessThan(0.03);
    expect(luminance(colour("slate-900"))).toBeGreaterThan(0.9);
  });
  for (const [text, backgrounds] of PAIRS) {
    it(`${text} text reads at 4.5:1 on ${backgrounds.join(", ")}`, () => {
      for (const bg of backgrounds) {
        expect(contrastRatio(colour(text), colour(bg)), `${text} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
  it("keeps the tinted backgrounds apart from the card (a badge still shows as a badge)", () => {
    for (const hue of ["red", "amber", "emerald", "sky", "blue", "slate"]) {
      expect(contrastRatio(colour(`${hue}-100`), colour("white")), hue).toBeGreaterThan(1.2);
    }
  });
});
