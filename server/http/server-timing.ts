/**
 * `Server-Timing: app;dur=12.3`: how long the server spent on a request, from route() taking it to the
 * answer being ready (auth, validation, the service call, serialising). Browser devtools show it beside the
 * request, and bench/console-scale.ts reads it to measure the lists' server time over real HTTP.
 */
import { performance } from "node:perf_hooks";

export const SERVER_TIMING_HEADER = "server-timing";

/** A clock started now; `header()` is the Server-Timing value for the time since. */
export function startServerTiming(metric = "app") {
  const started = performance.now();
  return { header: () => `${metric};dur=${(performance.now() - started).toFixed(1)}` };
}

/** The `app` duration in milliseconds from a Server-Timing header value, or null when it has none. */
export function parseServerTiming(value: string | null, metric = "app"): number | null {
  if (!value) return null;
  for (const entry of value.split(",")) {
    const [name, ...params] = entry.trim().split(";");
    if (name?.trim() !== metric) continue;
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith("dur="));
    const ms = dur ? Number(dur.slice(4)) : Number.NaN;
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}
