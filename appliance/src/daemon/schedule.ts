/**
 * When the check-in daemon checks in next: the poll interval after a success, exponential backoff after
 * a failure, the cap after a rejected key. Every delay gets ±10 % random jitter, so a fleet rebooted
 * together spreads out; jitter never takes a delay past the cap, and a Retry-After is never undercut.
 */
export const JITTER_FRACTION = 0.1;
export const BACKOFF_INITIAL_MS = 5_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

export type DelayKind = "poll" | "backoff" | "key-rejected";

/** One wait between check-ins, as scheduled: `baseMs` before jitter, `delayMs` after (and after Retry-After). */
export interface ScheduledDelay {
  kind: DelayKind;
  baseMs: number;
  delayMs: number;
  /** The server's Retry-After, when it sent one (already limited to the backoff cap). */
  retryAfterMs?: number;
}

/** Waits for `delay.delayMs`, or less when `signal` aborts. Injectable so tests can observe the schedule. */
export type Sleep = (delay: ScheduledDelay, signal: AbortSignal) => Promise<void>;

/** `baseMs` moved by up to ±`fraction` (random in [0, 1)). */
export function jittered(baseMs: number, random: () => number, fraction: number = JITTER_FRACTION): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(baseMs * (1 + fraction * (2 * r - 1)));
}

/** Backoff before jitter after `failures` consecutive failures (1 → initial, doubling, at most max). */
export function backoffBaseMs(failures: number, initialMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(maxMs, initialMs * 2 ** exponent);
}

/** The wait after a successful check-in. */
export function pollDelay(pollIntervalMs: number, random: () => number): ScheduledDelay {
  return { kind: "poll", baseMs: pollIntervalMs, delayMs: jittered(pollIntervalMs, random) };
}

export interface FailureDelayParams {
  keyRejected: boolean;
  consecutiveFailures: number;
  /** Already limited to the poll interval and the cap. */
  initialMs: number;
  maxMs: number;
  retryAfterSeconds: number | undefined;
  random: () => number;
}

/** The wait after a failed check-in: the cap for a rejected key, else backoff; Retry-After (capped) is honoured. */
export function failureDelay(p: FailureDelayParams): ScheduledDelay {
  const baseMs = p.keyRejected ? p.maxMs : backoffBaseMs(p.consecutiveFailures, p.initialMs, p.maxMs);
  const delay: ScheduledDelay = {
    kind: p.keyRejected ? "key-rejected" : "backoff",
    baseMs,
    delayMs: Math.min(p.maxMs, jittered(baseMs, p.random)),
  };
  if (p.retryAfterSeconds !== undefined) {
    const retryAfterMs = Math.min(p.maxMs, p.retryAfterSeconds * 1000);
    delay.retryAfterMs = retryAfterMs;
    delay.delayMs = Math.max(delay.delayMs, retryAfterMs);
  }
  return delay;
}

/** The default Sleep: a timer that the signal cuts short. */
export function sleepUnlessAborted(delay: ScheduledDelay, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, delay.delayMs);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
