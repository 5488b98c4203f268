/**
 * Where sign-in may send the browser afterwards: a path on this site, never another origin. Anything
 * else (`//evil.example`, `/\evil.example` (browsers read `\` as `/`), their percent-encoded forms,
 * absolute URLs, `javascript:`) falls back to the dashboard.
 */
export const DEFAULT_RETURN_PATH = "/dashboard";

const BASE = "http://same-origin.invalid";

function looksSafe(path: string): boolean {
  return (
    path.startsWith("/") &&
    !path.startsWith("//") &&
    !path.includes("\\") &&
    // Control characters and whitespace, which browsers strip before parsing a URL.
    ![...path].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f)
  );
}

export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return DEFAULT_RETURN_PATH;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return DEFAULT_RETURN_PATH;
  }
  // Checked as given and once decoded: `/%5Cevil.example` and `/%2F/evil.example` are refused too.
  if (!looksSafe(raw) || !looksSafe(decoded)) return DEFAULT_RETURN_PATH;
  const url = new URL(raw, BASE);
  if (url.origin !== BASE) return DEFAULT_RETURN_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}
