/**
 * Normal operation: the check-in daemon (seed: "Credential-Pull Architecture", "Check-In Enhancements").
 *
 * On start it reports provisioning status "ready" (best effort, retried before each check-in until it
 * succeeds once), then checks in with POST /api/appliances/checkin until stopped.
 *
 * Timing (every delay gets ±10 % random jitter, so a fleet rebooted together spreads out):
 *  - After a successful check-in: the poll interval, initially config.poll_interval and afterwards the
 *    poll_interval of the latest answer. OSIRIS_POLL_INTERVAL_S (opts.pollIntervalMs) overrides both.
 *  - While Central Command is unreachable, times out, or answers 5xx, 429, 400, 403 or a body that breaks
 *    the contract: exponential backoff starting at min(5 s, poll interval), doubling per consecutive
 *    failure, capped at 5 minutes (jitter never takes it past the cap). A Retry-After header is honoured
 *    (never retried sooner), up to the cap. The first success returns to the poll interval.
 *  - 401 (key unknown or revoked): logs "appliance key rejected; re-provision this appliance" and waits
 *    the cap before trying again; the daemon keeps running, so a key restored server-side recovers.
 *
 * Windows credentials live in memory only. Each successful answer REPLACES the targets (never merged,
 * never written anywhere); sealed passwords are opened with the X25519 key derived from the API key.
 * Logs carry counts and host names only. On stop the targets are dropped.
 *
 * uptime_s is the machine's uptime (os.uptime()), not the agent process's: it tells Central Command
 * when the appliance last rebooted.
 */
import type { KeyObject } from "node:crypto";
import os from "node:os";
import { type CheckinRequest, type CheckinResponse, Hostname } from "../../../server/contracts";
import { type ApiFailure, describeFailure, postCheckin, postProvisionStatus } from "../central-command/api-client";
import type { ApplianceConfig } from "../config/config-file";
import { deriveApplianceKeyPair, Secret, unsealSecret } from "../crypto/sealing";
import { getHostname } from "../system/system-info";
import { APPLIANCE_VERSION } from "../version";

export const JITTER_FRACTION = 0.1;
export const BACKOFF_INITIAL_MS = 5_000;
export const BACKOFF_MAX_MS = 5 * 60_000;
/** How long a stopping agent waits for flag handlers (which receive the abort signal) to finish. */
export const HANDLER_STOP_GRACE_MS = 5_000;
const MAX_REQUEST_TIMEOUT_MS = 30_000;
const MIN_REQUEST_TIMEOUT_MS = 1_000;
const MAX_UPTIME_S = 10 * 365 * 24 * 3600;

export const KEY_REJECTED_MESSAGE = "appliance key rejected; re-provision this appliance";

/** A Windows host to scan, with its credential. The password is in memory only and prints as "[redacted]". */
export interface WindowsTarget {
  readonly hostname: string;
  /** DOMAIN\user when the credential names a domain. */
  readonly username: string;
  readonly password: Secret;
  readonly use_ssl: boolean;
  readonly port: number;
  readonly transport: "ntlm" | "kerberos" | "basic";
  /** True when the password arrived as sealed_password. */
  readonly sealed: boolean;
}

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

export type FlagName = "enumeration" | "immediate_scan";

export interface FlagContext {
  /** Aborts when the agent stops. */
  signal: AbortSignal;
  /** Time-stamped log line (never put a password in it). */
  log: (line: string) => void;
  /** The Windows targets as of now (the latest check-in). */
  targets: () => readonly WindowsTarget[];
}

/**
 * What the check-in flags start. Handlers run in the background (the check-in loop does not wait), a
 * failing handler is logged, and a flag that arrives again while its handler runs is not run
 * concurrently: it is remembered and runs once more after the current run ends (several such deliveries
 * coalesce into that one re-run), because the server clears a flag once it has sent it.
 */
export interface FlagHandlers {
  enumeration(ctx: FlagContext): Promise<void> | void;
  /** When it resolves, the completion time is sent as last_scan_completed_at from the next check-in on. */
  immediateScan(ctx: FlagContext): Promise<void> | void;
}

export const ENUMERATION_PLACEHOLDER_MESSAGE = "enumeration requested (handler arrives with the AD issue)";

export const defaultFlagHandlers: FlagHandlers = {
  enumeration(ctx) {
    ctx.log(ENUMERATION_PLACEHOLDER_MESSAGE);
  },
  immediateScan(ctx) {
    // No scanner yet: the scan is a no-op whose completion the next check-in acknowledges.
    ctx.log(`immediate scan requested: no compliance checks yet (${countTargets(ctx.targets().length)})`);
  },
};

export interface FlagStats {
  /** Check-in answers that carried the flag. */
  deliveries: number;
  /** Handler runs started. */
  runs: number;
  failures: number;
  running: boolean;
  /** Delivered again while running: one more run follows. */
  pending: boolean;
  lastRequestedAt: Date | undefined;
  lastCompletedAt: Date | undefined;
}

export interface AgentStats {
  checkinAttempts: number;
  checkinSuccesses: number;
  checkinFailures: number;
  consecutiveFailures: number;
  readyReported: boolean;
  /** True from a 401 until the next successful check-in. */
  keyRejected: boolean;
  /** The interval between successful check-ins now in force (before jitter). */
  pollIntervalMs: number;
  lastCheckinAt: Date | undefined;
  lastServerTime: string | undefined;
  lastFailure: string | undefined;
  lastDelay: ScheduledDelay | undefined;
  /** Targets dropped because their sealed password could not be opened (all check-ins together). */
  droppedTargets: number;
  /** When the latest scan finished; sent as last_scan_completed_at. */
  lastScanCompletedAt: Date | undefined;
  flags: Record<FlagName, FlagStats>;
}

export interface AgentOptions {
  /** Stops the agent (SIGTERM/SIGINT in main): the request in flight is aborted and run() resolves. */
  signal?: AbortSignal;
  /** Overrides every poll interval, the config's and the server's (OSIRIS_POLL_INTERVAL_S; for tests). */
  pollIntervalMs?: number;
  /** One line per event; stdout by default. Never receives the API key or a password. */
  log?: (line: string) => void;
  /** Per request; by default the poll interval, between 1 s and 30 s. */
  timeoutMs?: number;
  /** Flag handlers; the defaults log and (for the scan) complete at once. */
  handlers?: Partial<FlagHandlers>;
  /** Backoff start and cap (defaults 5 s and 5 min). The start never exceeds the poll interval. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Injectable for tests. */
  sleep?: Sleep;
  /** Uniform in [0, 1); Math.random by default. Drives the jitter. */
  random?: () => number;
  now?: () => Date;
  /** Sent as hostname; getHostname() by default (left out when it is not a valid host name). */
  hostname?: () => string;
  /** Sent as uptime_s; os.uptime() by default. */
  uptimeSeconds?: () => number;
}

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

function countTargets(n: number): string {
  return `${n} Windows target${n === 1 ? "" : "s"}`;
}

/** A server-supplied string made safe for one log line. */
function printable(text: string): string {
  const clean = text.replace(/\p{Cc}/gu, "?");
  return clean.length > 253 ? `${clean.slice(0, 253)}…` : clean;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function defaultSleep(delay: ScheduledDelay, signal: AbortSignal): Promise<void> {
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

function newFlagStats(): FlagStats {
  return {
    deliveries: 0,
    runs: 0,
    failures: 0,
    running: false,
    pending: false,
    lastRequestedAt: undefined,
    lastCompletedAt: undefined,
  };
}

const FLAG_LABEL: Record<FlagName, string> = { enumeration: "enumeration", immediate_scan: "immediate scan" };

export class Agent {
  readonly stats: AgentStats;
  readonly #config: ApplianceConfig;
  readonly #opts: AgentOptions;
  readonly #signal: AbortSignal;
  readonly #privateKey: KeyObject;
  readonly #handlers: FlagHandlers;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #now: () => Date;
  readonly #log: (line: string) => void;
  readonly #inFlight = new Set<Promise<void>>();
  #targets: readonly WindowsTarget[] = Object.freeze([]);
  #serverIntervalMs: number;

  constructor(config: ApplianceConfig, opts: AgentOptions = {}) {
    this.#config = config;
    this.#opts = opts;
    this.#signal = opts.signal ?? new AbortController().signal;
    this.#privateKey = deriveApplianceKeyPair(config.api_key).privateKey;
    this.#handlers = { ...defaultFlagHandlers, ...opts.handlers };
    this.#sleep = opts.sleep ?? defaultSleep;
    this.#random = opts.random ?? Math.random;
    this.#now = opts.now ?? (() => new Date());
    this.#log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    this.#serverIntervalMs = config.poll_interval * 1000;
    this.stats = {
      checkinAttempts: 0,
      checkinSuccesses: 0,
      checkinFailures: 0,
      consecutiveFailures: 0,
      readyReported: false,
      keyRejected: false,
      pollIntervalMs: this.#pollIntervalMs(),
      lastCheckinAt: undefined,
      lastServerTime: undefined,
      lastFailure: undefined,
      lastDelay: undefined,
      droppedTargets: 0,
      lastScanCompletedAt: undefined,
      flags: { enumeration: newFlagStats(), immediate_scan: newFlagStats() },
    };
  }

  /** The Windows targets from the latest successful check-in (empty before the first, and after stop). */
  targets(): readonly WindowsTarget[] {
    return this.#targets;
  }

  /** Runs until the signal aborts; then waits (briefly) for running handlers and resolves. */
  async run(): Promise<void> {
    const signal = this.#signal;
    this.#stamp(
      `agent started: site ${this.#config.site_id}, appliance ${this.#config.appliance_id}, ` +
        `endpoint ${this.#config.api_endpoint}, version ${APPLIANCE_VERSION}, ` +
        `check-in every ${seconds(this.#pollIntervalMs())} (±${JITTER_FRACTION * 100} %)`,
    );
    while (!signal.aborted) {
      if (!this.stats.readyReported) {
        await this.#reportReady();
        if (signal.aborted) break;
      }
      const delay = await this.#checkIn();
      if (delay === undefined || signal.aborted) break;
      this.stats.lastDelay = delay;
      await this.#sleep(delay, signal);
    }
    await this.#settleHandlers();
    this.#targets = Object.freeze([]);
    this.#stamp("agent stopped");
  }

  #stamp(text: string): void {
    this.#log(`${this.#now().toISOString()} ${text}`);
  }

  #pollIntervalMs(): number {
    return this.#opts.pollIntervalMs ?? this.#serverIntervalMs;
  }

  #requestOptions() {
    const timeoutMs =
      this.#opts.timeoutMs ??
      Math.max(MIN_REQUEST_TIMEOUT_MS, Math.min(MAX_REQUEST_TIMEOUT_MS, this.#pollIntervalMs()));
    return { timeoutMs, signal: this.#signal };
  }

  async #reportReady(): Promise<void> {
    const ready = await postProvisionStatus(
      this.#config.api_endpoint,
      this.#config.api_key,
      { appliance_id: this.#config.appliance_id, status: "ready", progress: 100 },
      this.#requestOptions(),
    );
    if (this.#signal.aborted) return;
    if (ready.ok) {
      this.stats.readyReported = true;
      this.#stamp("status ready reported");
    } else {
      this.#stamp(`status report failed: ${describeFailure(ready.failure)}`);
    }
  }

  #request(): CheckinRequest {
    const request: CheckinRequest = { appliance_id: this.#config.appliance_id, agent_version: APPLIANCE_VERSION };
    const hostname = Hostname.safeParse((this.#opts.hostname ?? getHostname)());
    if (hostname.success) request.hostname = hostname.data;
    const uptime = (this.#opts.uptimeSeconds ?? os.uptime)();
    if (Number.isFinite(uptime)) request.uptime_s = Math.min(MAX_UPTIME_S, Math.max(0, Math.floor(uptime)));
    if (this.stats.lastScanCompletedAt) request.last_scan_completed_at = this.stats.lastScanCompletedAt.toISOString();
    return request;
  }

  /** One check-in; returns the wait before the next one (undefined when stopped meanwhile). */
  async #checkIn(): Promise<ScheduledDelay | undefined> {
    this.stats.checkinAttempts += 1;
    const result = await postCheckin(
      this.#config.api_endpoint,
      this.#config.api_key,
      this.#request(),
      this.#requestOptions(),
    );
    if (this.#signal.aborted) return undefined;
    if (!result.ok) return this.#failed(result.failure);

    const answer = result.data;
    this.stats.checkinSuccesses += 1;
    this.stats.consecutiveFailures = 0;
    this.stats.keyRejected = false;
    this.stats.lastFailure = undefined;
    this.stats.lastCheckinAt = this.#now();
    this.stats.lastServerTime = answer.server_time;

    const serverIntervalMs = answer.poll_interval * 1000;
    if (serverIntervalMs !== this.#serverIntervalMs && this.#opts.pollIntervalMs === undefined) {
      this.#stamp(`poll interval is now ${answer.poll_interval} s (set by Central Command)`);
    }
    this.#serverIntervalMs = serverIntervalMs;
    this.stats.pollIntervalMs = this.#pollIntervalMs();

    this.#replaceTargets(answer);
    const baseMs = this.#pollIntervalMs();
    const delay: ScheduledDelay = { kind: "poll", baseMs, delayMs: jittered(baseMs, this.#random) };
    this.#stamp(
      `check-in ok (server time ${answer.server_time}, ${countTargets(this.#targets.length)}); ` +
        `next in ${seconds(delay.delayMs)}`,
    );
    if (answer.trigger_enumeration) this.#dispatch("enumeration");
    if (answer.trigger_immediate_scan) this.#dispatch("immediate_scan");
    return delay;
  }

  #failed(failure: ApiFailure): ScheduledDelay {
    this.stats.checkinFailures += 1;
    this.stats.consecutiveFailures += 1;
    const maxMs = this.#opts.backoffMaxMs ?? BACKOFF_MAX_MS;
    const initialMs = Math.min(this.#opts.backoffInitialMs ?? BACKOFF_INITIAL_MS, this.#pollIntervalMs(), maxMs);

    let delay: ScheduledDelay;
    let text: string;
    if (failure.kind === "http" && failure.status === 401) {
      this.stats.keyRejected = true;
      delay = { kind: "key-rejected", baseMs: maxMs, delayMs: Math.min(maxMs, jittered(maxMs, this.#random)) };
      text = `check-in failed: ${KEY_REJECTED_MESSAGE} (HTTP 401)`;
    } else {
      const baseMs = backoffBaseMs(this.stats.consecutiveFailures, initialMs, maxMs);
      delay = { kind: "backoff", baseMs, delayMs: Math.min(maxMs, jittered(baseMs, this.#random)) };
      if (failure.kind === "http" && failure.status === 403) {
        text = `check-in refused: ${describeFailure(failure)}; this key belongs to another appliance`;
      } else if (failure.kind === "http" && failure.status === 400) {
        text = `check-in rejected as malformed: ${describeFailure(failure)}`;
      } else {
        text = `check-in failed: ${describeFailure(failure)}`;
      }
    }
    if (failure.kind === "http" && failure.retryAfterSeconds !== undefined) {
      const retryAfterMs = Math.min(maxMs, failure.retryAfterSeconds * 1000);
      delay.retryAfterMs = retryAfterMs;
      delay.delayMs = Math.max(delay.delayMs, retryAfterMs);
    }
    this.stats.lastFailure = text;
    this.#stamp(`${text}; next attempt in ${seconds(delay.delayMs)}`);
    return delay;
  }

  /** Replaces (never merges) the in-memory targets with the answer's, opening sealed passwords. */
  #replaceTargets(answer: CheckinResponse): void {
    const next: WindowsTarget[] = [];
    for (const wire of answer.windows_targets) {
      let password: string;
      let sealed = false;
      if (wire.sealed_password !== undefined) {
        try {
          password = unsealSecret(wire.sealed_password, this.#privateKey, this.#config.appliance_id);
          sealed = true;
        } catch {
          this.stats.droppedTargets += 1;
          this.#stamp(`dropping Windows target ${printable(wire.hostname)}: its password could not be unsealed`);
          continue;
        }
      } else if (wire.password !== undefined) {
        password = wire.password;
      } else {
        continue; // the contract rules this out
      }
      next.push(
        Object.freeze({
          hostname: wire.hostname,
          username: wire.username,
          password: new Secret(password),
          use_ssl: wire.use_ssl,
          port: wire.port,
          transport: wire.transport,
          sealed,
        }),
      );
    }

    const before = new Set(this.#targets.map((t) => t.hostname));
    const after = new Set(next.map((t) => t.hostname));
    const added = [...after].filter((h) => !before.has(h));
    const removed = [...before].filter((h) => !after.has(h));
    this.#targets = Object.freeze(next);
    if (added.length > 0 || removed.length > 0) {
      const parts = [
        added.length > 0 ? `added ${added.map(printable).join(", ")}` : "",
        removed.length > 0 ? `removed ${removed.map(printable).join(", ")}` : "",
      ].filter((p) => p !== "");
      this.#stamp(`Windows targets now ${next.length} (${parts.join("; ")})`);
    }
  }

  #dispatch(flag: FlagName): void {
    const flagStats = this.stats.flags[flag];
    flagStats.deliveries += 1;
    flagStats.lastRequestedAt = this.#now();
    if (flagStats.running) {
      if (!flagStats.pending) {
        this.#stamp(`${FLAG_LABEL[flag]} requested while one is running; it will run again when that one ends`);
      }
      flagStats.pending = true;
      return;
    }
    this.#start(flag);
  }

  #start(flag: FlagName): void {
    const flagStats = this.stats.flags[flag];
    flagStats.running = true;
    flagStats.runs += 1;
    const context: FlagContext = {
      signal: this.#signal,
      log: (line) => this.#stamp(line),
      targets: () => this.#targets,
    };
    const run = (async () => {
      try {
        await null; // let the check-in loop carry on before the handler starts
        if (flag === "enumeration") await this.#handlers.enumeration(context);
        else await this.#handlers.immediateScan(context);
        const completedAt = this.#now();
        flagStats.lastCompletedAt = completedAt;
        if (flag === "immediate_scan") {
          this.stats.lastScanCompletedAt = completedAt;
          this.#stamp(`immediate scan completed at ${completedAt.toISOString()}`);
        }
      } catch (err) {
        flagStats.failures += 1;
        this.#stamp(`${FLAG_LABEL[flag]} handler failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        flagStats.running = false;
        if (flagStats.pending && !this.#signal.aborted) {
          flagStats.pending = false;
          this.#start(flag);
        }
        flagStats.pending = false;
      }
    })();
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  async #settleHandlers(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HANDLER_STOP_GRACE_MS);
      timer.unref();
    });
    // Follow-up runs are not started once stopped, so the set only shrinks from here.
    await Promise.race([Promise.allSettled([...this.#inFlight]), grace]);
    clearTimeout(timer);
    if (this.#inFlight.size > 0) this.#stamp(`stopping without waiting for ${this.#inFlight.size} flag handler(s)`);
  }
}

/** Runs the check-in daemon until `opts.signal` aborts. */
export async function runAgent(config: ApplianceConfig, opts: AgentOptions = {}): Promise<void> {
  await new Agent(config, opts).run();
}
