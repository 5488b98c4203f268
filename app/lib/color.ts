/** WCAG relative luminance of a #RRGGBB colour. */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two #RRGGBB colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * Black or white, whichever reads better on the given #RRGGBB background. Black wins above a luminance
 * of about 0.179 (where the two ratios are equal), so the choice always reaches at least 4.58:1.
 */
export function contrastText(hex: string): "#000000" | "#FFFFFF" {
  return contrastRatio(hex, "#000000") >= contrastRatio(hex, "#FFFFFF") ? "#000000" : "#FFFFFF";
}

const toHex = (n: number) =>
  Math.round(Math.min(255, Math.max(0, n)))
    .toString(16)
    .padStart(2, "0")
    .toUpperCase();

/**
 * The brand colour made readable as text or a link on `background` (white by default): mixed step by step
 * toward black (or toward white on a dark background) until it reaches `min`:1 (4.5 by default, WCAG AA
 * body text). A colour that already reaches it comes back unchanged, so a dark brand keeps its exact hue.
 */
export function readableOn(hex: string, background = "#FFFFFF", min = 4.5): string {
  const target = luminance(background) > 0.179 ? 0 : 255;
  const rgb = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  for (let step = 0; step <= 100; step++) {
    const t = step / 100;
    const colour = `#${rgb.map((c) => toHex(c + (target - c) * t)).join("")}`;
    if (contrastRatio(colour, background) >= min) return colour;
  }
  return target === 0 ? "#000000" : "#FFFFFF";
}
