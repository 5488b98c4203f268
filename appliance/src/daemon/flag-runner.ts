/**
 * What the check-in flags start. Handlers run in the background (the check-in loop does not wait), a
 * failing handler is logged, and a flag that arrives again while its handler runs is not run
 * concurrently: it is remembered and runs once more after the current run ends (several such deliveries
 * coalesce into that one re-run), because the server clears a flag once it has sent it.
 */
import { countTargets, type WindowsTarget } from "./windows-targets";

/** How long a stopping daemon waits for flag handlers (which receive the abort signal) to finish. */
export const HANDLER_STOP_GRACE_MS = 5_000;

export type FlagName = "enumeration" | "immediate_scan";

export interface FlagContext {
  /** Aborts when the daemon stops. */
  signal: AbortSignal;
  /** Time-stamped log line (never put a password in it). */
  log: (line: string) => void;
  /** The Windows targets as of now (the latest check-in). */
  targets: () => readonly WindowsTarget[];
}

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
    // A daemon started without compliance scanning (tests of the check-in alone; the CLI always scans): the scan
    // is a no-op whose completion the next check-in acknowledges.
    ctx.log(
      `immediate scan requested: this daemon runs without compliance scanning (${countTargets(ctx.targets().length)})`,
    );
  },
};

export interface FlagStats {
  /** Check-in answers that carried the flag. */
  deliveries: number;
  /** Handler runs started. */
  runs: number;
  /** Runs started by the appliance's own schedule (included in runs). */
  scheduledRuns: number;
  failures: number;
  running: boolean;
  /** Delivered again while running: one more run follows. */
  pending: boolean;
  lastRequestedAt: Date | undefined;
  lastCompletedAt: Date | undefined;
}

function newFlagStats(): FlagStats {
  return {
    deliveries: 0,
    runs: 0,
    scheduledRuns: 0,
    failures: 0,
    running: false,
    pending: false,
    lastRequestedAt: undefined,
    lastCompletedAt: undefined,
  };
}

const FLAG_LABEL: Record<FlagName, string> = { enumeration: "enumeration", immediate_scan: "immediate scan" };

export interface FlagRunnerOptions {
  handlers: FlagHandlers;
  /** Aborts when the daemon stops: handed to handlers; no follow-up run starts after it. */
  signal: AbortSignal;
  /** Time-stamped log line. */
  log: (line: string) => void;
  now: () => Date;
  targets: () => readonly WindowsTarget[];
  /** Called with the completion time of each successful immediate scan. */
  onScanCompleted: (completedAt: Date) => void;
}

export class FlagRunner {
  readonly stats: Record<FlagName, FlagStats> = { enumeration: newFlagStats(), immediate_scan: newFlagStats() };
  readonly #opts: FlagRunnerOptions;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(opts: FlagRunnerOptions) {
    this.#opts = opts;
  }

  /**
   * A check-in answer carried `flag`: run its handler now, or once more after the current run. A
   * `scheduled` run (the appliance's own scan schedule) is not a delivery and never queues behind a run.
   */
  dispatch(flag: FlagName, opts: { scheduled?: boolean } = {}): void {
    const flagStats = this.stats[flag];
    if (opts.scheduled) {
      if (flagStats.running) return;
      flagStats.scheduledRuns += 1;
      this.#start(flag);
      return;
    }
    flagStats.deliveries += 1;
    flagStats.lastRequestedAt = this.#opts.now();
    if (flagStats.running) {
      if (!flagStats.pending) {
        this.#opts.log(`${FLAG_LABEL[flag]} requested while one is running; it will run again when that one ends`);
      }
      flagStats.pending = true;
      return;
    }
    this.#start(flag);
  }

  #start(flag: FlagName): void {
    const flagStats = this.stats[flag];
    flagStats.running = true;
    flagStats.runs += 1;
    const { handlers, signal, log } = this.#opts;
    const context: FlagContext = { signal, log, targets: this.#opts.targets };
    const run = (async () => {
      try {
        await null; // let the check-in loop carry on before the handler starts
        if (flag === "enumeration") await handlers.enumeration(context);
        else await handlers.immediateScan(context);
        const completedAt = this.#opts.now();
        flagStats.lastCompletedAt = completedAt;
        if (flag === "immediate_scan") {
          this.#opts.onScanCompleted(completedAt);
          log(`immediate scan completed at ${completedAt.toISOString()}`);
        }
      } catch (err) {
        flagStats.failures += 1;
        log(`${FLAG_LABEL[flag]} handler failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        flagStats.running = false;
        if (flagStats.pending && !signal.aborted) {
          flagStats.pending = false;
          this.#start(flag);
        }
        flagStats.pending = false;
      }
    })();
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  /** After the signal aborted: waits for running handlers, at most HANDLER_STOP_GRACE_MS. */
  async settle(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HANDLER_STOP_GRACE_MS);
      timer.unref();
    });
    // Follow-up runs are not started once stopped, so the set only shrinks from here.
    await Promise.race([Promise.allSettled([...this.#inFlight]), grace]);
    clearTimeout(timer);
    if (this.#inFlight.size > 0) this.#opts.log(`stopping without waiting for ${this.#inFlight.size} flag handler(s)`);
  }
}
