/**
 * The appliance's durable outbox: every report it must deliver to Central Command is journaled to disk
 * (outbox-store.ts) BEFORE it is sent, and deleted only once Central Command answered 2xx, so neither a
 * restart, a SIGKILL, a power cut, a lost answer nor a Central Command that is down loses a report.
 *
 * - Sending: one loop per kind, first in first out (a kind's next report waits for the one before it; kinds
 *   do not wait for each other). A failure that may pass is retried with exponential backoff, 1 min doubling
 *   to 1 h by default, ±10 % jitter, the server's Retry-After honoured (up to the cap).
 * - A refusal that waiting cannot change (isPermanentFailure: 400/403/404/409/410/413/422, or a body the
 *   contract refuses) moves the report to outbox/refused/ (the newest 20 files / 64 MiB are kept) and is logged
 *   with the server's error; the next report of its kind goes on.
 * - Coalescing: journaling a report of a coalescing kind (report-kinds.ts) deletes the unsent older ones of
 *   that kind.
 * - Caps: at most 1,000 reports / 256 MiB on disk; journaling past a cap drops the oldest, with a log line.
 * - A report with a secret-looking field is never journaled (assertNoSecrets).
 * - At start, whatever is on disk is sent again, oldest first (replay). Central Command's report endpoints are
 *   idempotent where it matters (enumeration results: by run id or content hash; scan results: by batch_id), so a
 *   report whose answer was lost and that is sent twice is stored once.
 * - sendAll journals several reports at once (a compliance scan's batches) before any of them is sent.
 *
 * Delivery is at least once: a report is sent again after a restart even if its answer was on its way.
 */
import type { z } from "zod";
import type { CallOptions } from "../central-command/call-api";
import { backoffBaseMs, jittered, type Sleep, sleepUnlessAborted } from "../daemon/schedule";
import { describeIssues } from "../shared/describe-issues";
import { assertNoSecrets, type OutboxRecord } from "./outbox-record";
import { sendRecord } from "./outbox-sender";
import { OutboxStore } from "./outbox-store";
import { REPORT_KINDS, type ReportKind } from "./report-kinds";

export const OUTBOX_RETRY_INITIAL_MS = 60_000;
export const OUTBOX_RETRY_MAX_MS = 60 * 60_000;
export const OUTBOX_MAX_RECORDS = 1_000;
export const OUTBOX_MAX_BYTES = 256 * 1024 * 1024;
export const REFUSED_KEEP_FILES = 20;
export const REFUSED_KEEP_BYTES = 64 * 1024 * 1024;

/** Time as the outbox sees it; injectable so tests observe the backoff without waiting for it. */
export interface OutboxClock {
  now: () => Date;
  sleep: Sleep;
}

/** What the daemon's options may set (tests shorten the backoff and lower the caps). */
export interface OutboxSettings {
  /** The appliance's state directory; the outbox is its `outbox/` subdirectory. */
  stateDir: string;
  clock?: OutboxClock;
  random?: () => number;
  kinds?: readonly ReportKind[];
  retryInitialMs?: number;
  retryMaxMs?: number;
  maxRecords?: number;
  maxBytes?: number;
  refusedKeepFiles?: number;
  refusedKeepBytes?: number;
}

export interface OutboxOptions extends OutboxSettings {
  callOptions: () => CallOptions;
  /** Stops the send loops (the reports stay on disk). */
  signal: AbortSignal;
  log: (line: string) => void;
}

export interface OutboxStats {
  journaled: number;
  replayed: number;
  attempts: number;
  delivered: number;
  refused: number;
  replaced: number;
  dropped: number;
}

interface Entry {
  record: OutboxRecord;
  kind: ReportKind;
  /** Replaced or dropped (also while its send was in flight): the loop moves on without touching it. */
  gone: boolean;
  waiters: ((acknowledged: boolean) => void)[];
}

export class Outbox {
  readonly store: OutboxStore;
  readonly stats: OutboxStats = {
    journaled: 0,
    replayed: 0,
    attempts: 0,
    delivered: 0,
    refused: 0,
    replaced: 0,
    dropped: 0,
  };
  readonly #opts: OutboxOptions;
  readonly #clock: OutboxClock;
  readonly #kinds: Map<string, ReportKind>;
  readonly #queues = new Map<string, Entry[]>();
  readonly #wakers = new Map<string, () => void>();
  #nextSeq: number;
  #bytes = 0;

  /** Opens (creating it 0700) `<stateDir>/outbox/` and reads what is journaled there. */
  constructor(opts: OutboxOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? { now: () => new Date(), sleep: sleepUnlessAborted };
    this.#kinds = new Map((opts.kinds ?? Object.values(REPORT_KINDS)).map((k) => [k.name, k as ReportKind]));
    for (const name of this.#kinds.keys()) this.#queues.set(name, []);
    this.store = new OutboxStore(opts.stateDir);
    const loaded = this.store.load();
    for (const { file, reason } of loaded.unreadable) {
      opts.log(`outbox: set aside ${file} in outbox/refused/ (not a report: ${reason})`);
    }
    this.#nextSeq = loaded.nextSeq;
    for (const record of loaded.records) {
      const kind = this.#kinds.get(record.kind);
      if (!kind) {
        this.store.refuse(record, { error: `unknown report kind "${record.kind}"`, at: this.#now() }, this.#keep());
        opts.log(`outbox: set aside ${record.id} in outbox/refused/ (this version does not send "${record.kind}")`);
        continue;
      }
      this.#queues.get(kind.name)?.push({ record, kind, gone: false, waiters: [] });
      this.#bytes += record.bytes;
      this.stats.replayed += 1;
    }
  }

  /**
   * Journals `body` as a `kind` report (durable when this returns, before any await) and resolves once its fate
   * is known: true when Central Command acknowledged it; false when it was refused, replaced, dropped, could not
   * be journaled, or the daemon stopped first (then it is still on disk and is sent at the next start).
   */
  send<Req extends z.ZodType, Res extends z.ZodType>(kind: ReportKind<Req, Res>, body: z.input<Req>): Promise<boolean> {
    let entry: Entry;
    try {
      entry = this.#journal(kind, body);
    } catch (err) {
      this.#opts.log(`outbox: ${kind.name} report not journaled: ${err instanceof Error ? err.message : String(err)}`);
      return Promise.resolve(false);
    }
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /**
   * Journals several reports of one kind, all of them before any is sent (nothing is sent before this returns),
   * and returns each one's fate as send() does. Throws when one cannot be journaled (those before it stay
   * journaled and are sent; it and those after it are not).
   */
  sendAll<Req extends z.ZodType, Res extends z.ZodType>(
    kind: ReportKind<Req, Res>,
    bodies: readonly z.input<Req>[],
  ): Promise<boolean>[] {
    return bodies.map((body) => {
      const entry = this.#journal(kind, body);
      return new Promise<boolean>((resolve) => entry.waiters.push(resolve));
    });
  }

  /** Journals one report; throws (writing nothing) for an unknown kind, a secret, a body the contract refuses, or a write error. */
  journal<Req extends z.ZodType, Res extends z.ZodType>(kind: ReportKind<Req, Res>, body: z.input<Req>): OutboxRecord {
    return this.#journal(kind, body).record;
  }

  #journal<Req extends z.ZodType, Res extends z.ZodType>(kind: ReportKind<Req, Res>, body: z.input<Req>): Entry {
    const known = this.#kinds.get(kind.name);
    if (!known) throw new Error(`unknown report kind "${kind.name}"`);
    assertNoSecrets(body);
    const checked = known.endpoint.request.safeParse(body);
    if (!checked.success)
      throw new Error(`the report breaks its contract: ${describeIssues(checked.error, "(body)", 5)}`);
    const queue = this.#queues.get(known.name) ?? [];
    if (known.coalesce) {
      for (const older of [...queue]) {
        this.#discard(older);
        this.stats.replaced += 1;
      }
    }
    const size = Buffer.byteLength(JSON.stringify(body)) + 128;
    const maxRecords = this.#opts.maxRecords ?? OUTBOX_MAX_RECORDS;
    const maxBytes = this.#opts.maxBytes ?? OUTBOX_MAX_BYTES;
    if (size > maxBytes) throw new Error(`the report (${size} bytes) is bigger than the outbox (${maxBytes} bytes)`);
    while (this.#count() + 1 > maxRecords || this.#bytes + size > maxBytes) {
      const oldest = this.#oldest();
      if (!oldest) break;
      this.#discard(oldest);
      this.stats.dropped += 1;
      this.#opts.log(
        `outbox full (at most ${maxRecords} reports, ${Math.round(maxBytes / 1024 / 1024)} MiB): dropped the oldest, ` +
          `${this.#describe(oldest)} journaled at ${oldest.record.created_at}`,
      );
    }
    const record = this.store.write(this.#nextSeq, known.name, body, this.#clock.now());
    this.#nextSeq += 1;
    const entry: Entry = { record, kind: known, gone: false, waiters: [] };
    queue.push(entry);
    this.#bytes += record.bytes;
    this.stats.journaled += 1;
    this.#wakers.get(known.name)?.();
    return entry;
  }

  /** The records waiting to be sent, oldest first (all kinds, or one). */
  pending(kindName?: string): OutboxRecord[] {
    const entries = kindName ? (this.#queues.get(kindName) ?? []) : [...this.#queues.values()].flat();
    return entries.map((e) => e.record).sort((a, b) => a.seq - b.seq);
  }

  /** Sends until the signal aborts: what was journaled before the start first, then every new report. */
  async run(): Promise<void> {
    const { replayed } = this.stats;
    if (replayed > 0) this.#opts.log(`outbox: ${replayed} report(s) journaled before this start, sending them again`);
    await Promise.all([...this.#queues.keys()].map((name) => this.#drain(name)));
    // Stopped: the reports stay on disk for the next start; whoever waits on them hears "not acknowledged".
    for (const queue of this.#queues.values()) for (const entry of queue) this.#settle(entry, false);
  }

  async #drain(name: string): Promise<void> {
    const { signal } = this.#opts;
    const queue = this.#queues.get(name) ?? [];
    let failures = 0;
    while (!signal.aborted) {
      const entry = queue[0];
      if (!entry) {
        await this.#idle(name);
        continue;
      }
      this.stats.attempts += 1;
      const outcome = await sendRecord(entry.record, entry.kind, this.#opts.callOptions());
      if (outcome.result === "stopped" || signal.aborted) break;
      if (entry.gone) {
        failures = 0; // replaced or dropped meanwhile: the next one starts afresh
        continue;
      }
      if (outcome.result === "acknowledged") {
        this.#remove(entry);
        this.store.remove(entry.record);
        this.stats.delivered += 1;
        if (outcome.note)
          this.#opts.log(`${this.#describe(entry)} acknowledged (HTTP ${outcome.status}; ${outcome.note})`);
        this.#settle(entry, true);
        failures = 0;
      } else if (outcome.result === "refused") {
        this.#remove(entry);
        const refusal = { ...(outcome.status !== undefined ? { status: outcome.status } : {}), error: outcome.error };
        this.store.refuse(entry.record, { ...refusal, at: this.#now() }, this.#keep());
        this.stats.refused += 1;
        const hint = entry.kind.refusalHint?.(outcome.status);
        this.#opts.log(
          `${this.#describe(entry)} refused by Central Command, not retried (${outcome.error})` +
            `${hint ? `: ${hint}` : ""}; kept in outbox/refused/${entry.record.id}`,
        );
        this.#settle(entry, false);
        failures = 0;
      } else {
        failures += 1;
        const maxMs = this.#opts.retryMaxMs ?? OUTBOX_RETRY_MAX_MS;
        const baseMs = backoffBaseMs(failures, this.#opts.retryInitialMs ?? OUTBOX_RETRY_INITIAL_MS, maxMs);
        let delayMs = Math.min(maxMs, jittered(baseMs, this.#opts.random ?? Math.random));
        if (outcome.retryAfterMs !== undefined) delayMs = Math.max(delayMs, Math.min(maxMs, outcome.retryAfterMs));
        this.#opts.log(
          `${this.#describe(entry)} not delivered (${outcome.error}); kept in the outbox, retrying in ${Math.round(delayMs / 1000)} s`,
        );
        await this.#clock.sleep({ kind: "backoff", baseMs, delayMs }, signal);
      }
    }
  }

  /** Resolves when a report of this kind is journaled, or the outbox stops. */
  #idle(name: string): Promise<void> {
    const { signal } = this.#opts;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        this.#wakers.delete(name);
        signal.removeEventListener("abort", wake);
        resolve();
      };
      this.#wakers.set(name, wake);
      signal.addEventListener("abort", wake, { once: true });
    });
  }

  #discard(entry: Entry): void {
    entry.gone = true;
    this.#remove(entry);
    this.store.remove(entry.record);
    this.#settle(entry, false);
  }

  #remove(entry: Entry): void {
    const queue = this.#queues.get(entry.kind.name);
    const at = queue?.indexOf(entry) ?? -1;
    if (queue && at >= 0) {
      queue.splice(at, 1);
      this.#bytes -= entry.record.bytes;
    }
  }

  #settle(entry: Entry, acknowledged: boolean): void {
    for (const resolve of entry.waiters.splice(0)) resolve(acknowledged);
  }

  #oldest(): Entry | undefined {
    let oldest: Entry | undefined;
    for (const queue of this.#queues.values()) {
      const head = queue[0];
      if (head && (!oldest || head.record.seq < oldest.record.seq)) oldest = head;
    }
    return oldest;
  }

  #count(): number {
    let n = 0;
    for (const queue of this.#queues.values()) n += queue.length;
    return n;
  }

  #describe(entry: Entry): string {
    try {
      return entry.kind.describe(entry.record.body as never);
    } catch {
      return `${entry.kind.name} report`;
    }
  }

  #now(): string {
    return this.#clock.now().toISOString();
  }

  #keep() {
    return {
      files: this.#opts.refusedKeepFiles ?? REFUSED_KEEP_FILES,
      bytes: this.#opts.refusedKeepBytes ?? REFUSED_KEEP_BYTES,
    };
  }
}
