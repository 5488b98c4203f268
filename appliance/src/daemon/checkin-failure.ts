/** How a failed check-in is worded in the daemon's log: what happened, and what a person can do about it. */
import { type ApiFailure, describeFailure } from "../central-command/api-failure";
import { KEY_REJECTED_MESSAGE } from "../central-command/endpoints";

/** True for a 401: the key is unknown or revoked (the daemon waits the cap, and keeps running). */
export function isKeyRejected(failure: ApiFailure): boolean {
  return failure.kind === "http" && failure.status === 401;
}

/** One log line (without the "next attempt" part) for a failed check-in. */
export function describeCheckinFailure(failure: ApiFailure): string {
  if (isKeyRejected(failure)) return `check-in failed: ${KEY_REJECTED_MESSAGE} (HTTP 401)`;
  if (failure.kind === "http" && failure.status === 403) {
    return `check-in refused: ${describeFailure(failure)}; this key belongs to another appliance`;
  }
  if (failure.kind === "http" && failure.status === 400) {
    return `check-in rejected as malformed: ${describeFailure(failure)}`;
  }
  return `check-in failed: ${describeFailure(failure)}`;
}
