/**
 * A concurrency limit, for work known up front or arriving over time: `limit(fn)`
 * runs fn at once while fewer than `concurrency` runs are in flight, else when one ends, in arrival order.
 */
export type Limit = <R>(fn: () => Promise<R>) => Promise<R>;

export function createLimiter(concurrency: number): Limit {
  const max = Math.max(1, concurrency);
  let running = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    running--;
    waiting.shift()?.();
  };
  return <R>(fn: () => Promise<R>) =>
    new Promise<R>((resolve, reject) => {
      const run = () => {
        running++;
        fn().then(resolve, reject).finally(next);
      };
      if (running < max) run();
      else waiting.push(run);
    });
}
