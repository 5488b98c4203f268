/**
 * GET /api/sites/{site_id}/domain-credentials for trigger_enumeration, retried: a failure that may pass (no
 * connection, a timeout, 5xx, 429, 401) is tried again up to CREDENTIAL_FETCH_RETRIES times with backoff
 * (5 s doubling by default, ±10 % jitter, Retry-After honoured up to 1 min). A refusal, or the last failure,
 * comes back as a reason a technician can act on; the enumeration handler reports it to Central Command as
 * enumeration-failed `credential_fetch_failed`, so the site page says why nothing was enumerated.
 */
import type { DomainCredentialRelease } from "../../../server/contracts";
import { type ApiFailure, type ApiResult, describeFailure, isPermanentFailure } from "../central-command/api-failure";
import { backoffBaseMs, jittered, type Sleep } from "../daemon/schedule";

export const CREDENTIAL_FETCH_RETRIES = 4;
export const CREDENTIAL_RETRY_INITIAL_MS = 5_000;
export const CREDENTIAL_RETRY_MAX_MS = 60_000;

export type CredentialFetch =
  | { ok: true; release: DomainCredentialRelease }
  | { ok: false; reason: string; attempts: number; stopped: boolean };

export interface FetchDomainCredentialOptions {
  signal: AbortSignal;
  sleep: Sleep;
  random: () => number;
  log: (line: string) => void;
  retries?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

/** Words for the site page: what went wrong and what to do about it. */
export function credentialFetchReason(failure: ApiFailure, attempts: number): string {
  if (failure.kind === "http" && failure.status === 404) {
    return "Central Command has no domain credential for this site (it may have been removed after the enumeration was requested). Enter the domain credential again on the site page.";
  }
  if (failure.kind === "http" && failure.status === 403) {
    return `Central Command refused to give this appliance the site's domain credential (${describeFailure(failure)}). Check that this appliance still belongs to this site; if it was moved or replaced, provision it again.`;
  }
  if (isPermanentFailure(failure)) {
    return `Central Command refused this appliance's request for the domain credential (${describeFailure(failure)}). Enter the domain credential again on the site page; if this repeats, update the appliance.`;
  }
  return `The appliance could not fetch the domain credential from Central Command after ${attempts} attempts (last: ${describeFailure(failure)}). Check the appliance's connection to Central Command (network, DNS, firewall or proxy), then save the domain credential again to restart the enumeration.`;
}

export async function fetchDomainCredential(
  fetchOnce: () => Promise<ApiResult<DomainCredentialRelease>>,
  opts: FetchDomainCredentialOptions,
): Promise<CredentialFetch> {
  const retries = opts.retries ?? CREDENTIAL_FETCH_RETRIES;
  const initialMs = opts.retryInitialMs ?? CREDENTIAL_RETRY_INITIAL_MS;
  const maxMs = opts.retryMaxMs ?? CREDENTIAL_RETRY_MAX_MS;
  for (let attempt = 1; ; attempt++) {
    const result = await fetchOnce();
    if (result.ok) return { ok: true, release: result.data };
    const { failure } = result;
    if (opts.signal.aborted || failure.kind === "aborted") {
      return { ok: false, reason: "the appliance is stopping", attempts: attempt, stopped: true };
    }
    if (isPermanentFailure(failure) || attempt > retries) {
      return { ok: false, reason: credentialFetchReason(failure, attempt), attempts: attempt, stopped: false };
    }
    const baseMs = backoffBaseMs(attempt, initialMs, maxMs);
    let delayMs = Math.min(maxMs, jittered(baseMs, opts.random));
    const retryAfter = failure.kind === "http" ? failure.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) delayMs = Math.max(delayMs, Math.min(maxMs, retryAfter * 1000));
    opts.log(
      `domain credential not fetched (${describeFailure(failure)}); attempt ${attempt} of ${retries + 1}, retrying in ${Math.round(delayMs / 1000)} s`,
    );
    await opts.sleep({ kind: "backoff", baseMs, delayMs }, opts.signal);
  }
}
