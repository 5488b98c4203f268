/**
 * Keeps child processes running (`npm start`: the web server and the worker). A child that dies is
 * started again after a back-off that doubles from `minBackoffMs` to `maxBackoffMs` and starts over once
 * the child has stayed up for `resetAfterMs`; every exit and restart is logged with its exit code or
 * signal. `stop()` ends every child (SIGTERM, then SIGKILL after `stopTimeoutMs`) and restarts nothing.
 * Each child owns its own sockets: the supervisor holds no listening socket, so killing the process that
 * listens kills the web server, and the supervisor brings it back.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

export type ChildSpec = { name: string; command: string; args: string[]; options?: SpawnOptions };

export type SupervisorOptions = {
  minBackoffMs?: number;
  maxBackoffMs?: number;
  resetAfterMs?: number;
  stopTimeoutMs?: number;
  log?: (message: string) => void;
  /** Called on every exit that is not part of stop(); e.g. to give up during start-up. */
  onExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
};

type Slot = {
  spec: ChildSpec;
  child: ChildProcess | null;
  startedAt: number;
  backoffMs: number;
  restarts: number;
  timer?: NodeJS.Timeout;
};

export class Supervisor {
  private readonly slots: Slot[];
  private stopping: Promise<void> | null = null;
  private readonly min: number;
  private readonly max: number;
  private readonly resetAfter: number;
  private readonly stopTimeout: number;
  private readonly log: (message: string) => void;

  constructor(
    specs: ChildSpec[],
    private readonly opts: SupervisorOptions = {},
  ) {
    this.min = opts.minBackoffMs ?? 1_000;
    this.max = opts.maxBackoffMs ?? 30_000;
    this.resetAfter = opts.resetAfterMs ?? 60_000;
    this.stopTimeout = opts.stopTimeoutMs ?? 30_000;
    this.log = opts.log ?? ((m) => process.stderr.write(`[supervisor] ${m}\n`));
    this.slots = specs.map((spec) => ({ spec, child: null, startedAt: 0, backoffMs: this.min, restarts: 0 }));
  }

  start(): this {
    for (const slot of this.slots) this.launch(slot);
    return this;
  }

  /** The live child of that name (null while it waits to be restarted). */
  child(name: string): ChildProcess | null {
    return this.slot(name).child;
  }

  restarts(name: string): number {
    return this.slot(name).restarts;
  }

  /** Ends every child and restarts none; resolves when all have exited. Idempotent. */
  stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    this.stopping ??= Promise.all(
      this.slots.map(async (slot) => {
        clearTimeout(slot.timer);
        const child = slot.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill(signal);
        const killer = setTimeout(() => {
          this.log(`${slot.spec.name} did not stop within ${this.stopTimeout} ms; killing it`);
          child.kill("SIGKILL");
        }, this.stopTimeout);
        await exited;
        clearTimeout(killer);
      }),
    ).then(() => {});
    return this.stopping;
  }

  private slot(name: string): Slot {
    const slot = this.slots.find((s) => s.spec.name === name);
    if (!slot) throw new Error(`no child named ${name}`);
    return slot;
  }

  private launch(slot: Slot): void {
    const { name, command, args, options } = slot.spec;
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
    slot.child = child;
    slot.startedAt = Date.now();
    child.once("error", (err) => this.log(`${name} could not be started: ${err.message}`));
    child.once("exit", (code, signal) => {
      slot.child = null;
      if (this.stopping) return;
      this.opts.onExit?.(name, code, signal);
      if (this.stopping) return;
      // A child that stayed up long enough starts over at the shortest back-off.
      if (Date.now() - slot.startedAt >= this.resetAfter) slot.backoffMs = this.min;
      const delay = slot.backoffMs;
      slot.backoffMs = Math.min(slot.backoffMs * 2, this.max);
      this.log(
        `${name} exited (${signal ? `signal ${signal}` : `code ${code}`}); restarting in ${(delay / 1000).toFixed(1)} s`,
      );
      slot.timer = setTimeout(() => {
        if (this.stopping) return;
        slot.restarts++;
        this.log(`restarting ${name} (restart #${slot.restarts})`);
        this.launch(slot);
      }, delay);
    });
  }
}

/** SIGINT/SIGTERM stop every child, then this process exits 0. */
export function stopOnSignals(supervisor: Supervisor, before?: () => void): void {
  const handler = () => {
    before?.();
    void supervisor.stop("SIGTERM").then(() => process.exit(0));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}
