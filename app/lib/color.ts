/** Black or white, whichever reads better on the given #RRGGBB background (WCAG relative luminance). */
export function contrastText(hex: string): "#000000" | "#FFFFFF" {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? "#000000" : "#FFFFFF";
}
