/** What a call to Central Command returns: the validated answer, or a failure that says what went wrong. */

/** The seed's texts for transport failures, exact. */
export const TRANSPORT_ERRORS = {
  timeout: "Connection timed out",
  connect: "Failed to connect to server",
} as const;

export type ApiFailure =
  /** No complete answer within the timeout. */
  | { kind: "timeout"; message: string }
  /** Connection refused, DNS failure, TLS failure, connection reset… `detail` says which. */
  | { kind: "network"; message: string; detail: string }
  /** The caller's signal aborted the request. */
  | { kind: "aborted"; message: string }
  /**
   * An HTTP error status. `message` is the seed's text for this endpoint and status when it has one,
   * else the server's `{error}` text when it sent one.
   */
  | { kind: "http"; status: number; message: string; retryAfterSeconds?: number }
  /** What the appliance was about to send breaks the contract (nothing was sent). */
  | { kind: "invalid-request"; message: string }
  /** A response that does not match the contract (or a redirect, which the appliance never follows). */
  | { kind: "invalid-response"; status: number; message: string };

export type ApiResult<T> = { ok: true; data: T } | { ok: false; failure: ApiFailure };

/** One line for logs: the failure's message, with the HTTP status and Retry-After when there are some. */
export function describeFailure(failure: ApiFailure): string {
  switch (failure.kind) {
    case "network":
      return `${failure.message} (${failure.detail})`;
    case "http": {
      const retry = failure.retryAfterSeconds === undefined ? "" : `; try again in ${failure.retryAfterSeconds} s`;
      return `${failure.message} (HTTP ${failure.status})${retry}`;
    }
    default:
      return failure.message;
  }
}

/**
 * HTTP statuses that waiting cannot change: the request itself is refused (malformed, forbidden, unknown, in
 * conflict, gone, too large, unprocessable). Anything else (network, timeout, 5xx, 429, 401 while a key is
 * being restored, a broken answer) may succeed later.
 */
export const PERMANENT_FAILURE_STATUSES: ReadonlySet<number> = new Set([400, 403, 404, 409, 410, 413, 422]);

/** True for a refusal that a retry would only repeat (also a request that breaks its contract: nothing was sent). */
export function isPermanentFailure(failure: ApiFailure): boolean {
  return (
    failure.kind === "invalid-request" || (failure.kind === "http" && PERMANENT_FAILURE_STATUSES.has(failure.status))
  );
}
