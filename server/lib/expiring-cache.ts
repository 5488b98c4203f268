/**
 * A small in-memory cache for the web process's hot paths: entries expire a fixed time after they were
 * stored (used or not), at most `maxEntries` are kept (the oldest stored go first), and one instance per
 * name lives on globalThis, so Next's bundles and scripts/serve.ts share it in one process.
 * Times are what the caller passes (performance.now() by default), which lets tests move the clock.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  static shared<V>(name: string, ttlMs: number, maxEntries: number): ExpiringCache<V> {
    const g = globalThis as { __osirisCaches?: Map<string, unknown> };
    g.__osirisCaches ??= new Map();
    const registry = g.__osirisCaches;
    let cache = registry.get(name) as ExpiringCache<V> | undefined;
    if (!cache) {
      cache = new ExpiringCache<V>(ttlMs, maxEntries);
      registry.set(name, cache);
    }
    return cache;
  }

  get(key: string, now = performance.now()): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > now ? entry.value : undefined;
  }

  set(key: string, value: V, now = performance.now()): void {
    // Re-inserted at the end: Map order is storage order, so eviction takes the oldest first.
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    if (this.entries.size <= this.maxEntries) return;
    for (const k of this.entries.keys()) {
      this.entries.delete(k);
      if (this.entries.size <= this.maxEntries) break;
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
