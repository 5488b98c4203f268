/**
 * Shares one database statement among the calls made in the same turn of the event loop. Each call gets a
 * promise for its own result; at the end of the turn (setImmediate) the collected items go to `run` as one
 * batch, whose results are handed back in order. Alone, a call waits for nothing but the end of its turn;
 * under load one statement (and one network write) serves many calls.
 *   - `maxBatch`: a batch is sent as soon as it holds this many items.
 *   - `maxInFlight`: batches running at once. Items that arrive while the limit is reached wait, merged,
 *     for the next free slot, so under load batches grow instead of statements multiplying.
 * A failing batch (a rejected promise or a synchronous throw) rejects every call in it with its error.
 * Used by the check-in's context lookup and by the credential access log.
 */
export type TurnBatcherOptions<I, R> = {
  run: (items: I[]) => Promise<readonly R[]>;
  maxBatch?: number;
  maxInFlight?: number;
};

type Waiter<R> = { resolve: (result: R) => void; reject: (err: unknown) => void };

export class TurnBatcher<I, R> {
  private items: I[] = [];
  private waiters: Array<Waiter<R>> = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(private readonly options: TurnBatcherOptions<I, R>) {
    this.maxBatch = options.maxBatch ?? Number.POSITIVE_INFINITY;
    this.maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.items.push(item);
      this.waiters.push({ resolve, reject });
      if (this.items.length >= this.maxBatch) this.send();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  private send(): void {
    if (this.items.length === 0 || this.inFlight >= this.maxInFlight) return; // sent when a batch finishes
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    this.inFlight++;
    // Through a promise, so even a synchronous throw (a bad DATABASE_URL) reaches every waiter.
    Promise.resolve()
      .then(() => this.options.run(items))
      .then(
        (results) => {
          for (let i = 0; i < waiters.length; i++) waiters[i]?.resolve(results[i] as R);
        },
        (err: unknown) => {
          for (const w of waiters) w.reject(err);
        },
      )
      .finally(() => {
        this.inFlight--;
        if (!this.scheduled) this.send();
      });
  }
}
