/**
 * Collects writes off the request path and flushes them in batches: on a timer, when the batch is
 * large, and at shutdown (scripts/serve.ts runs the registered hooks). A failed flush keeps its items
 * and retries on the next tick, so nothing is dropped while the process lives.
 */
import { logger } from "@/server/logger";

type Hooks = { shutdown: Array<() => Promise<void>> };
const g = globalThis as unknown as { __osirisHooks?: Hooks };
g.__osirisHooks ??= { shutdown: [] };
export const processHooks: Hooks = g.__osirisHooks;

export async function runShutdownHooks(): Promise<void> {
  for (const hook of processHooks.shutdown) await hook().catch(() => {});
}

export class Batcher<K, V> {
  private pending = new Map<K, V>();
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly name: string,
    private readonly write: (items: Array<[K, V]>) => Promise<void>,
    private readonly options: { intervalMs: number; maxBatch: number; merge?: (old: V, next: V) => V },
  ) {
    processHooks.shutdown.push(() => this.flush());
  }

  /** Queues an item; items with the same key merge (last-seen keeps only the newest). */
  add(key: K, value: V): void {
    const old = this.pending.get(key);
    this.pending.set(key, old !== undefined && this.options.merge ? this.options.merge(old, value) : value);
    this.timer ??= setInterval(() => void this.flush(), this.options.intervalMs).unref();
    if (this.pending.size >= this.options.maxBatch) void this.flush();
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Writes everything pending at the time of the call. A flush already in flight holds only the items
   * taken before it started, so this waits for it and then writes what was added meanwhile (shutdown
   * relies on this: its flush must not return while items added during a timer flush are unwritten).
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Map();
    this.flushing = this.write(batch)
      .catch((err) => {
        // Put them back (newer entries for the same key win) and retry on the next tick.
        for (const [k, v] of batch) if (!this.pending.has(k)) this.pending.set(k, v);
        logger().error(
          { err: (err as Error).message, batcher: this.name, items: batch.length },
          "batch write failed; will retry",
        );
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }
}
