/**
 * Normal operation: the check-in daemon (seed: "Credential-Pull Architecture", "Check-In Enhancements").
 * ("Agent" is kept for the workstation agents; this is the appliance's own loop.)
 *
 * On start it reports provisioning status "ready" (best effort, retried before each check-in until it
 * succeeds once), then checks in with POST /api/appliances/checkin until stopped.
 *
 * Timing (schedule.ts; every delay gets ±10 % random jitter):
 *  - After a successful check-in: the poll interval, initially config.poll_interval and afterwards the
 *    poll_interval of the latest answer. OSIRIS_POLL_INTERVAL_S (opts.pollIntervalMs) overrides both.
 *  - While Central Command is unreachable, times out, or answers 5xx, 429, 400, 403 or a body that breaks
 *    the contract: exponential backoff starting at min(5 s, poll interval), doubling per consecutive
 *    failure, capped at 5 minutes (jitter never takes it past the cap). A Retry-After header is honoured
 *    (never retried sooner), up to the cap. The first success returns to the poll interval.
 *  - 401 (key unknown or revoked): drops its Windows targets, logs "appliance key rejected; re-provision this
 *    appliance" and waits the cap before trying again; the daemon keeps running, so a key restored
 *    server-side recovers.
 *
 * Windows credentials live in memory only (windows-targets.ts); on stop the targets are dropped.
 * Flags start handlers in the background (flag-runner.ts).
 *
 * Active Directory (with `opts.directory`, which the CLI always gives): domain discovery runs in the background
 * from start, then daily, and trigger_enumeration enumerates the domain with the site's domain credential
 * (ad-sync/).
 *
 * Compliance (with `opts.compliance`, which the CLI always gives): trigger_immediate_scan and the site's own
 * schedule scan the Windows targets over WinRM; each scan's batches are journaled in the outbox (scan-results).
 *
 * Reports (with a state dir: `opts.outbox` or `opts.directory`): journaled in `<state dir>/outbox/` and sent from
 * there in the background until Central Command acknowledges them; what a previous run left there is sent
 * again at start (outbox/).
 *
 * uptime_s is the machine's uptime (os.uptime()), not the daemon process's: it tells Central Command
 * when the appliance last rebooted.
 */
import os from "node:os";
import { type CheckinRequest, type CheckinResponse, Hostname } from "../../../server/contracts";
import { AdSync, type AdSyncOptions } from "../ad-sync/ad-sync";
import { type ApiFailure, describeFailure } from "../central-command/api-failure";
import { callApi } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import {
  ComplianceScanner,
  type ComplianceScanSettings,
  type DeliverScan,
} from "../compliance/scan/compliance-scanner";
import { journalScanBatches } from "../compliance/scan/journal-scan-batches";
import type { ApplianceConfig } from "../config/config-file";
import { type CurrentKeys, currentKeys } from "../crypto/appliance-keys";
import { Outbox, type OutboxSettings } from "../outbox/outbox";
import { getHostname } from "../system/system-info";
import { APPLIANCE_VERSION } from "../version";
import { describeCheckinFailure, isKeyRejected } from "./checkin-failure";
import {
  defaultFlagHandlers,
  type FlagContext,
  type FlagHandlers,
  type FlagName,
  FlagRunner,
  type FlagStats,
} from "./flag-runner";
import { upgradeApplianceKeys } from "./rekey";
import {
  BACKOFF_INITIAL_MS,
  BACKOFF_MAX_MS,
  failureDelay,
  JITTER_FRACTION,
  pollDelay,
  type ScheduledDelay,
  type Sleep,
  sleepUnlessAborted,
} from "./schedule";
import {
  countTargets,
  describeTargetChange,
  openWindowsTargets,
  printable,
  type UnusableTarget,
  type WindowsTarget,
} from "./windows-targets";

const MAX_REQUEST_TIMEOUT_MS = 30_000;
const MIN_REQUEST_TIMEOUT_MS = 1_000;
const MAX_UPTIME_S = 10 * 365 * 24 * 3600;

export interface CheckinDaemonStats {
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
  /** Targets dropped because their password could not be opened or was refused (all check-ins together). */
  droppedTargets: number;
  /** When the latest scan finished; sent as last_scan_completed_at. */
  lastScanCompletedAt: Date | undefined;
  flags: Record<FlagName, FlagStats>;
}

export interface CheckinDaemonOptions {
  /** Stops the daemon (SIGTERM/SIGINT in main): the request in flight is aborted and run() resolves. */
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
  /** Active Directory discovery and enumeration; absent: neither runs (enumeration flags are only logged). */
  directory?: AdSyncOptions;
  /**
   * Compliance scans (on the scan flag and on the site's schedule). Their batches are journaled in the outbox as
   * scan-results reports (so a state dir is needed) unless `deliver` replaces that (unit tests). Absent: scan
   * flags are only logged (tests of the check-in alone; the CLI always scans).
   */
  compliance?: ComplianceScanSettings & { deliver?: DeliverScan };
  /** The durable outbox's settings; its state dir defaults to the directory's. No state dir: no outbox. */
  outbox?: Partial<OutboxSettings>;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export class CheckinDaemon {
  readonly stats: CheckinDaemonStats;
  #config: ApplianceConfig;
  #keys: CurrentKeys;
  /** Refused targets not yet reported to Central Command (sent with the next check-in). */
  #unusable: UnusableTarget[] = [];
  readonly #opts: CheckinDaemonOptions;
  readonly #signal: AbortSignal;
  readonly #flags: FlagRunner;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #now: () => Date;
  readonly #log: (line: string) => void;
  #targets: readonly WindowsTarget[] = Object.freeze([]);
  #serverIntervalMs: number;
  /** Active Directory work (with opts.directory). */
  readonly ad: AdSync | undefined;
  /** Compliance scans (with opts.compliance). */
  readonly scanner: ComplianceScanner | undefined;
  /** Scheduled scans count their interval from here until the first scan. */
  readonly #startedAt: Date;
  /** Every report to Central Command, journaled until acknowledged (with a state dir). */
  readonly outbox: Outbox | undefined;

  constructor(config: ApplianceConfig, opts: CheckinDaemonOptions = {}) {
    this.#config = config;
    this.#opts = opts;
    this.#signal = opts.signal ?? new AbortController().signal;
    this.#keys = currentKeys(config);
    this.#sleep = opts.sleep ?? sleepUnlessAborted;
    this.#random = opts.random ?? Math.random;
    this.#now = opts.now ?? (() => new Date());
    this.#log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    this.#serverIntervalMs = config.poll_interval * 1000;
    const outboxDir = opts.outbox?.stateDir ?? opts.directory?.stateDir;
    this.outbox =
      outboxDir === undefined
        ? undefined
        : new Outbox({
            random: this.#random,
            ...opts.outbox,
            stateDir: outboxDir,
            callOptions: () => this.#callOptions(),
            signal: this.#signal,
            log: (line) => this.#stamp(line),
          });
    const outbox = this.outbox;
    this.ad =
      opts.directory && outbox
        ? new AdSync(opts.directory, {
            applianceId: () => this.#config.appliance_id,
            siteId: () => this.#config.site_id,
            privateKey: () => this.#keys.privateKey,
            callOptions: () => this.#callOptions(),
            outbox,
            signal: this.#signal,
            sleep: sleepUnlessAborted,
            random: this.#random,
            now: this.#now,
            log: (line) => this.#stamp(line),
          })
        : undefined;
    const ad = this.ad;
    this.#startedAt = this.#now();
    const scanner = opts.compliance ? this.#scanner(opts.compliance, outbox) : undefined;
    this.scanner = scanner;
    this.#flags = new FlagRunner({
      handlers: {
        ...defaultFlagHandlers,
        ...(ad ? { enumeration: async () => void (await ad.enumerate()) } : {}),
        ...(scanner
          ? {
              immediateScan: (ctx: FlagContext) =>
                scanner.scan({ targets: ctx.targets(), signal: ctx.signal, now: this.#now, log: ctx.log }),
            }
          : {}),
        ...opts.handlers,
      },
      signal: this.#signal,
      log: (line) => this.#stamp(line),
      now: this.#now,
      targets: () => this.#targets,
      onScanCompleted: (completedAt) => {
        this.stats.lastScanCompletedAt = completedAt;
      },
    });
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
      flags: this.#flags.stats,
    };
  }

  #scanner(settings: NonNullable<CheckinDaemonOptions["compliance"]>, outbox: Outbox | undefined): ComplianceScanner {
    let deliver = settings.deliver;
    if (!deliver) {
      if (!outbox) throw new Error("compliance scans journal their results in the outbox: give the daemon a state dir");
      deliver = journalScanBatches(outbox, () => this.#config.appliance_id);
    }
    return new ComplianceScanner({ ...settings, deliver });
  }

  /** The Windows targets from the latest successful check-in (empty before the first, and after stop). */
  targets(): readonly WindowsTarget[] {
    return this.#targets;
  }

  /** Runs until the signal aborts; then waits (briefly) for running handlers and resolves. */
  async run(): Promise<void> {
    const signal = this.#signal;
    this.#stamp(
      `check-in daemon started: site ${this.#config.site_id}, appliance ${this.#config.appliance_id}, ` +
        `endpoint ${this.#config.api_endpoint}, version ${APPLIANCE_VERSION}, ` +
        `check-in every ${seconds(this.#pollIntervalMs())} (±${JITTER_FRACTION * 100} %)`,
    );
    const sending = this.outbox?.run().catch((err: unknown) => {
      this.#stamp(`outbox stopped: ${err instanceof Error ? err.message : String(err)}`);
    });
    const discovery = this.ad?.discovery.run().catch((err: unknown) => {
      this.#stamp(`domain discovery stopped: ${err instanceof Error ? err.message : String(err)}`);
    });
    while (!signal.aborted) {
      if (this.#keys.scheme === "v1") {
        await this.#upgradeKeys();
        if (signal.aborted) break;
      }
      if (!this.stats.readyReported) {
        await this.#reportReady();
        if (signal.aborted) break;
      }
      const delay = await this.#checkIn();
      if (delay === undefined || signal.aborted) break;
      this.stats.lastDelay = delay;
      await this.#sleep(delay, signal);
    }
    await this.#flags.settle();
    await discovery;
    await sending;
    this.#targets = Object.freeze([]);
    this.#stamp("check-in daemon stopped");
  }

  #stamp(text: string): void {
    this.#log(`${this.#now().toISOString()} ${text}`);
  }

  #pollIntervalMs(): number {
    return this.#opts.pollIntervalMs ?? this.#serverIntervalMs;
  }

  #callOptions() {
    const timeoutMs =
      this.#opts.timeoutMs ??
      Math.max(MIN_REQUEST_TIMEOUT_MS, Math.min(MAX_REQUEST_TIMEOUT_MS, this.#pollIntervalMs()));
    return { apiEndpoint: this.#config.api_endpoint, apiKey: this.#keys.apiKey, timeoutMs, signal: this.#signal };
  }

  /** Key derivation v1 → v2 (rekey.ts); on failure the old keys keep working and the next cycle retries. */
  async #upgradeKeys(): Promise<void> {
    const outcome = await upgradeApplianceKeys(this.#config, this.#callOptions());
    this.#config = outcome.config;
    if (outcome.status === "rekeyed") {
      this.#keys = currentKeys(outcome.config);
      this.#stamp("moved to key derivation v2: new API key and sealing key registered, the old key is retired");
    } else if (outcome.status === "failed") {
      this.#stamp(`could not move to key derivation v2 yet (${outcome.reason}); keeping the current key`);
    }
  }

  async #reportReady(): Promise<void> {
    const ready = await callApi(
      ENDPOINTS.provisionStatus,
      { appliance_id: this.#config.appliance_id, status: "ready", progress: 100 },
      this.#callOptions(),
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
    if (this.#unusable.length > 0) request.unusable_targets = this.#unusable.slice(0, 200);
    return request;
  }

  /** One check-in; returns the wait before the next one (undefined when stopped meanwhile). */
  async #checkIn(): Promise<ScheduledDelay | undefined> {
    this.stats.checkinAttempts += 1;
    const result = await callApi(ENDPOINTS.checkin, this.#request(), this.#callOptions());
    if (this.#signal.aborted) return undefined;
    if (!result.ok) return this.#failed(result.failure);

    const answer = result.data;
    this.#unusable = [];
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

    this.#replaceTargets(answer.windows_targets);
    const delay = pollDelay(this.#pollIntervalMs(), this.#random);
    this.#stamp(
      `check-in ok (server time ${answer.server_time}, ${countTargets(this.#targets.length)}); ` +
        `next in ${seconds(delay.delayMs)}`,
    );
    this.scanner?.configure(answer.compliance);
    if (answer.trigger_enumeration) this.#flags.dispatch("enumeration");
    if (answer.trigger_immediate_scan) this.#flags.dispatch("immediate_scan");
    else this.#maybeScheduledScan(answer.compliance);
    return delay;
  }

  /** The site's own schedule: no flag from Central Command, a scan once per interval while there are targets. */
  #maybeScheduledScan(compliance: CheckinResponse["compliance"]): void {
    const scanner = this.scanner;
    if (!scanner) return;
    if (this.#targets.length === 0 || this.#flags.stats.immediate_scan.running) return;
    if (!scanner.scheduledScanDue(this.#now(), this.#startedAt)) return;
    this.#stamp(`scheduled compliance scan (every ${Math.round((compliance?.scan_interval_s ?? 0) / 60)} min)`);
    this.#flags.dispatch("immediate_scan", { scheduled: true });
  }

  #failed(failure: ApiFailure): ScheduledDelay {
    this.stats.checkinFailures += 1;
    this.stats.consecutiveFailures += 1;
    const keyRejected = isKeyRejected(failure);
    if (keyRejected) {
      this.stats.keyRejected = true;
      // Unknown or revoked: whatever this box holds was meant for an appliance Central Command no longer trusts.
      if (this.#targets.length > 0) {
        this.#stamp(`Windows targets dropped (${this.#targets.length}): this appliance's key was rejected`);
        this.#targets = Object.freeze([]);
      }
    }
    const maxMs = this.#opts.backoffMaxMs ?? BACKOFF_MAX_MS;
    const delay = failureDelay({
      keyRejected,
      consecutiveFailures: this.stats.consecutiveFailures,
      initialMs: Math.min(this.#opts.backoffInitialMs ?? BACKOFF_INITIAL_MS, this.#pollIntervalMs(), maxMs),
      maxMs,
      retryAfterSeconds: failure.kind === "http" ? failure.retryAfterSeconds : undefined,
      random: this.#random,
    });
    const text = describeCheckinFailure(failure);
    this.stats.lastFailure = text;
    this.#stamp(`${text}; next attempt in ${seconds(delay.delayMs)}`);
    return delay;
  }

  /** Replaces (never merges) the in-memory targets with the answer's, opening sealed passwords. */
  #replaceTargets(wires: Parameters<typeof openWindowsTargets>[0]): void {
    const { targets, unusable } = openWindowsTargets(wires, this.#keys.privateKey, this.#config.appliance_id);
    for (const target of unusable) {
      this.stats.droppedTargets += 1;
      this.#stamp(`not using Windows target ${printable(target.hostname)}: ${target.reason}`);
    }
    this.#unusable = unusable;
    const change = describeTargetChange(this.#targets, targets);
    this.#targets = targets;
    if (change !== undefined) this.#stamp(change);
  }
}

/** Runs the check-in daemon until `opts.signal` aborts. */
export async function runCheckinDaemon(config: ApplianceConfig, opts: CheckinDaemonOptions = {}): Promise<void> {
  await new CheckinDaemon(config, opts).run();
}
