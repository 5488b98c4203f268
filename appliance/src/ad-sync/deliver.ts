/**
 * Sends one report to Central Command until it is acknowledged: a network failure, a timeout, a 5xx, a 429,
 * a 401 or an answer that breaks the contract is retried with exponential backoff (1 min doubling to 1 h by
 * default, ±10 % jitter, Retry-After honoured). A refusal that cannot change by waiting (the request breaks its
 * contract, or 400/403/404/409/410/413) is given up at once, and said so. The pending report lives in memory:
 * a restart of the appliance loses it (the server re-arms an unanswered enumeration flag after 30 minutes).
 */
import { type ApiFailure, type ApiResult, describeFailure } from "../central-command/api-failure";
import { backoffBaseMs, jittered, type Sleep } from "../daemon/schedule";

export const DELIVERY_RETRY_INITIAL_MS = 60_000;
export const DELIVERY_RETRY_MAX_MS = 60 * 60_000;

const PERMANENT_STATUSES = new Set([400, 403, 404, 409, 410, 413]);

export interface DeliveryOptions {
  signal: AbortSignal;
  sleep: Sleep;
  random: () => number;
  log: (line: string) => void;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export function isPermanentFailure(failure: ApiFailure): boolean {
  return failure.kind === "invalid-request" || (failure.kind === "http" && PERMANENT_STATUSES.has(failure.status));
}

/**
 * Calls `send` until it succeeds; resolves to the answer, or undefined when given up (permanent refusal) or
 * stopped (the signal aborted).
 */
export async function deliver<T>(
  what: string,
  send: () => Promise<ApiResult<T>>,
  opts: DeliveryOptions,
): Promise<T | undefined> {
  const initialMs = opts.retryInitialMs ?? DELIVERY_RETRY_INITIAL_MS;
  const maxMs = opts.retryMaxMs ?? DELIVERY_RETRY_MAX_MS;
  for (let failures = 1; !opts.signal.aborted; failures++) {
    const result = await send();
    if (result.ok) return result.data;
    if (opts.signal.aborted || result.failure.kind === "aborted") return undefined;
    if (isPermanentFailure(result.failure)) {
      opts.log(`${what} refused, not retried: ${describeFailure(result.failure)}`);
      return undefined;
    }
    const baseMs = backoffBaseMs(failures, initialMs, maxMs);
    let delayMs = Math.min(maxMs, jittered(baseMs, opts.random));
    const retryAfter = result.failure.kind === "http" ? result.failure.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) delayMs = Math.max(delayMs, Math.min(maxMs, retryAfter * 1000));
    opts.log(`${what} not delivered (${describeFailure(result.failure)}); retrying in ${Math.round(delayMs / 1000)} s`);
    await opts.sleep({ kind: "backoff", baseMs, delayMs }, opts.signal);
  }
  return undefined;
}
