"use client";

/**
 * The partner's brand colour as CSS variables, in a <style> the CSP admits by nonce (the CSP allows no
 * inline styles). On the first page load React hydrates the server's element, whose nonce is this
 * document's. After a client-side navigation into the partner pages (e.g. from sign-in) React creates
 * the element itself, and the nonce it was rendered with belongs to that later request, not to the
 * policy this document was loaded with: it then takes the document's nonce from Next's own scripts.
 */
export function BrandStyle({ css, nonce }: { css: string; nonce: string | undefined }) {
  const documentNonce =
    typeof document === "undefined" ? undefined : document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  return <style nonce={documentNonce || nonce}>{css}</style>;
}
