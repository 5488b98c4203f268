/**
 * The security headers every answer carries, in one place for the three places that set them:
 * proxy.ts (pages and API under Next, with the per-request CSP nonce), next.config.ts (static assets,
 * which the proxy skips) and scripts/serve.ts (everything it serves, including the node:http check-in
 * and its own 413s). Imports nothing, so next.config.ts and the proxy bundle can load it as is.
 */

/** On every answer, page or API. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  // Legacy twin of frame-ancestors 'none', for browsers that predate CSP2.
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** Only on answers that reached us over TLS (browsers ignore it over plain HTTP anyway). */
export const HSTS_HEADER = ["strict-transport-security", "max-age=31536000; includeSubDomains"] as const;

/** JSON answers and static files: nothing may load, nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function join(directives: string[]): string {
  return directives.filter(Boolean).join("; ");
}

/**
 * Pages: scripts run only with this request's nonce (Next reads it from the request's CSP header and
 * puts it on its own scripts); 'strict-dynamic' lets those scripts load Next's chunks. No 'unsafe-inline'
 * for scripts or styles: the pages use no style attributes in server HTML (the brand colour comes in a
 * nonce'd <style>), and React's runtime style changes go through CSSOM, which CSP does not govern.
 * Development needs 'unsafe-eval' (React's dev tooling) and inline styles (Next's dev overlay).
 */
export function pageCsp(nonce: string, dev = false): string {
  return join([
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]);
}

/**
 * The BullMQ dashboard (platform admins only) is a prebuilt app we do not render: its scripts are files
 * from 'self' (no inline script), but it styles with inline style attributes, so styles allow them here only.
 */
export const QUEUE_BOARD_CSP = join([
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
]);

export type CspKind = "api" | "queue-board" | "page";

export function cspKindFor(pathname: string): CspKind {
  if (pathname === "/api" || pathname.startsWith("/api/")) return "api";
  if (pathname === "/admin/queues" || pathname.startsWith("/admin/queues/")) return "queue-board";
  return "page";
}

/** Request header in which the proxy hands the page's CSP nonce to server components. */
export const NONCE_HEADER = "x-nonce";
