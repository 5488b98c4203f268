import { contrastText, readableOn } from "./color";

/** The light page (slate-50): brand-coloured text is darkened until it reads at 4.5:1 on it (and so on white). */
export const LIGHT_TEXT_BACKGROUND = "#F8FAFC";
/**
 * In dark mode the lightest surface text sits on: slate-100 of the dark palette (badges, hovered rows; a
 * card is darker still). Brand-coloured text is lightened until it reads at 4.5:1 on it.
 */
export const DARK_TEXT_BACKGROUND = "#1D293D";

/**
 * The partner's colour as the CSS variables of `[data-brand-scope]`: `--brand` as given (the brand bar,
 * brand buttons), `--brand-contrast` black or white on it, and `--brand-text` for text and links on the
 * page, one shade for the light scheme and one for the dark. `hex` must be a validated #RRGGBB: it is
 * written into a stylesheet.
 */
export function brandCss(hex: string): string {
  const light = readableOn(hex, LIGHT_TEXT_BACKGROUND);
  const dark = readableOn(hex, DARK_TEXT_BACKGROUND);
  return (
    `[data-brand-scope]{--brand:${hex};--brand-contrast:${contrastText(hex)};--brand-text:${light}}` +
    `@media screen and (prefers-color-scheme: dark){[data-brand-scope]{--brand-text:${dark}}}`
  );
}
