/**
 * Domain discovery on the appliance's schedule: at daemon start (right after provisioning), then once a day.
 * A failed discovery is retried with exponential backoff (1 min doubling to 1 h by default, ±10 % jitter).
 *
 * What Central Command hears: POST domain-discovered when the result (domain, NetBIOS name, DCs and the
 * certificate each presents, or why none could be read) differs from
 * the last one it acknowledged, or that was more than a day ago; POST domain-discovery-failed with the names
 * searched when discovery fails, again only when the failure differs or a day has passed (not at every retry).
 * Each report is journaled in the outbox and sent from there until acknowledged (outbox/outbox.ts).
 */
import type { DomainDiscoveredRequest } from "../../../server/contracts";
import { backoffBaseMs, jittered, type Sleep } from "../daemon/schedule";
import type { DiscoveryResult, DomainController } from "../directory/discovery/discover-domain";
import { withCertificate } from "./dc-certificate-wire";

export const DISCOVERY_INTERVAL_MS = 24 * 3600_000;
export const DISCOVERY_RETRY_INITIAL_MS = 60_000;
export const DISCOVERY_RETRY_MAX_MS = 3600_000;
/** A report Central Command already has is sent again after this long (so it knows the appliance still sees it). */
export const REPORT_REFRESH_MS = 24 * 3600_000;

export interface DiscoveredDomain {
  domain: string;
  netbiosName?: string;
  domainControllers: DomainController[];
  at: Date;
}

export interface DomainDiscoveryLoopOptions {
  applianceId: () => string;
  /** One discovery attempt (candidates and DNS already chosen). Never expected to throw; a throw counts as failure. */
  discover: () => Promise<DiscoveryResult>;
  /** Posts a report until acknowledged; true when it was. */
  postDiscovered: (body: DomainDiscoveredRequest) => Promise<boolean>;
  postFailed: (body: {
    appliance_id: string;
    searched: string[];
    error: string;
    failed_at: string;
  }) => Promise<boolean>;
  signal: AbortSignal;
  sleep: Sleep;
  random: () => number;
  now: () => Date;
  log: (line: string) => void;
  intervalMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface DiscoveryStats {
  attempts: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  reportsSent: number;
  lastError: string | undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export class DomainDiscoveryLoop {
  readonly stats: DiscoveryStats = {
    attempts: 0,
    successes: 0,
    failures: 0,
    consecutiveFailures: 0,
    reportsSent: 0,
    lastError: undefined,
  };
  /** The latest successful discovery (enumeration takes its DCs from here). */
  current: DiscoveredDomain | undefined;
  readonly #opts: DomainDiscoveryLoopOptions;
  /** What Central Command last acknowledged, and when. */
  #reported: { key: string; at: number } | undefined;

  constructor(opts: DomainDiscoveryLoopOptions) {
    this.#opts = opts;
  }

  /** Runs until the signal aborts. */
  async run(): Promise<void> {
    const { signal } = this.#opts;
    while (!signal.aborted) {
      const ok = await this.runOnce();
      if (signal.aborted) break;
      const intervalMs = this.#opts.intervalMs ?? DISCOVERY_INTERVAL_MS;
      const baseMs = ok
        ? intervalMs
        : backoffBaseMs(
            this.stats.consecutiveFailures,
            this.#opts.retryInitialMs ?? DISCOVERY_RETRY_INITIAL_MS,
            this.#opts.retryMaxMs ?? DISCOVERY_RETRY_MAX_MS,
          );
      const delayMs = ok
        ? jittered(baseMs, this.#opts.random)
        : Math.min(this.#opts.retryMaxMs ?? DISCOVERY_RETRY_MAX_MS, jittered(baseMs, this.#opts.random));
      this.#opts.log(
        ok
          ? `next domain discovery in ${Math.round(delayMs / 60_000)} min`
          : `domain discovery will be retried in ${Math.round(delayMs / 1000)} s`,
      );
      await this.#opts.sleep({ kind: ok ? "poll" : "backoff", baseMs, delayMs }, signal);
    }
  }

  /** One discovery and, when due, its report. True when a domain was found. */
  async runOnce(): Promise<boolean> {
    this.stats.attempts += 1;
    let result: DiscoveryResult;
    try {
      result = await this.#opts.discover();
    } catch (err) {
      result = { ok: false, message: `domain discovery failed: ${String(err)}`, searched: [], reasons: [] };
    }
    if (this.#opts.signal.aborted) return result.ok;
    const now = this.#opts.now();
    if (result.ok) {
      this.stats.successes += 1;
      this.stats.consecutiveFailures = 0;
      this.stats.lastError = undefined;
      this.current = {
        domain: result.domain,
        ...(result.netbiosName ? { netbiosName: result.netbiosName } : {}),
        domainControllers: result.domainControllers,
        at: now,
      };
      const body: DomainDiscoveredRequest = {
        appliance_id: this.#opts.applianceId(),
        domain: result.domain,
        ...(result.netbiosName ? { netbios_name: result.netbiosName } : {}),
        domain_controllers: result.domainControllers
          .slice(0, 100)
          .map((dc) => withCertificate(dc, result.certificates?.get(dc.hostname))),
        discovered_at: now.toISOString(),
      };
      const key = JSON.stringify(["found", body.domain, body.netbios_name ?? null, body.domain_controllers]);
      this.#opts.log(
        `domain ${result.domain} found (${result.domainControllers.map((d) => d.hostname).join(", ")}; confirmed by ${result.confirmedBy})`,
      );
      if (this.#due(key, now)) await this.#report(key, now, () => this.#opts.postDiscovered(body));
      return true;
    }
    this.stats.failures += 1;
    this.stats.consecutiveFailures += 1;
    this.stats.lastError = result.message;
    this.#opts.log(result.message);
    const body = {
      appliance_id: this.#opts.applianceId(),
      searched: result.searched.slice(0, 50).map((s) => clip(s, 300)),
      error: clip(result.message, 1000),
      failed_at: now.toISOString(),
    };
    const key = JSON.stringify(["failed", body.searched, body.error]);
    if (this.#due(key, now)) await this.#report(key, now, () => this.#opts.postFailed(body));
    return false;
  }

  #due(key: string, now: Date): boolean {
    const last = this.#reported;
    return last === undefined || last.key !== key || now.getTime() - last.at >= REPORT_REFRESH_MS;
  }

  async #report(key: string, now: Date, post: () => Promise<boolean>): Promise<void> {
    if (await post()) {
      this.#reported = { key, at: now.getTime() };
      this.stats.reportsSent += 1;
    }
  }
}
