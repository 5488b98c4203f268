/** Errors a retry cannot fix: the answer would be the same (not found, forbidden, signed out, bad input). */
const FINAL_CODES = new Set([
  "NOT_FOUND",
  "FORBIDDEN",
  "UNAUTHORIZED",
  "BAD_REQUEST",
  "CONFLICT",
  "UNPROCESSABLE_CONTENT",
]);

/** Retry a failed query up to twice, but never a 4xx: an unknown site answers at once instead of after 8 s. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const data = (error as { data?: { code?: string; httpStatus?: number } } | null)?.data;
  if (data?.code && FINAL_CODES.has(data.code)) return false;
  const status = data?.httpStatus;
  // 408 and 429 may pass on a second try; every other 4xx would not.
  if (status && status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
  return failureCount < 2;
}
