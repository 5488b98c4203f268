/**
 * Normal operation, for now: report "ready", then send a heartbeat every poll interval until stopped.
 * (The 60-second check-in daemon replaces this loop in a later issue.)
 */
import { describeFailure, postHeartbeat, postProvisionStatus } from "./api-client";
import type { ApplianceConfig } from "./config";

export interface AgentOptions {
  /** Stops the loop (SIGTERM/SIGINT in main). runAgent resolves soon after it aborts. */
  signal?: AbortSignal;
  /** Overrides config.poll_interval (seconds), e.g. from OSIRIS_POLL_INTERVAL_S. */
  pollIntervalMs?: number;
  /** One line per event; stdout by default. Never receives the API key. */
  log?: (line: string) => void;
  /** Per request; at most 30 s by default. */
  timeoutMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Runs until `signal` aborts. Failed requests are logged and retried on the next beat. */
export async function runAgent(config: ApplianceConfig, opts: AgentOptions = {}): Promise<void> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stamp = (text: string) => log(`${new Date().toISOString()} ${text}`);
  const intervalMs = opts.pollIntervalMs ?? config.poll_interval * 1000;
  const timeoutMs = opts.timeoutMs ?? Math.max(1000, Math.min(30_000, intervalMs));
  const request = { timeoutMs, signal: opts.signal };

  stamp(
    `agent started: site ${config.site_id}, appliance ${config.appliance_id}, ` +
      `endpoint ${config.api_endpoint}, heartbeat every ${intervalMs / 1000} s`,
  );

  let readyReported = false;
  while (!opts.signal?.aborted) {
    if (!readyReported) {
      const ready = await postProvisionStatus(
        config.api_endpoint,
        config.api_key,
        { appliance_id: config.appliance_id, status: "ready", progress: 100 },
        request,
      );
      if (opts.signal?.aborted) break;
      if (ready.ok) {
        readyReported = true;
        stamp("status ready reported");
      } else {
        stamp(`status report failed: ${describeFailure(ready.failure)}`);
      }
    }

    const beat = await postHeartbeat(config.api_endpoint, config.api_key, config.appliance_id, request);
    if (opts.signal?.aborted) break;
    if (beat.ok) stamp(`heartbeat ok (server time ${beat.data.server_time})`);
    else stamp(`heartbeat failed: ${describeFailure(beat.failure)}`);

    await sleep(intervalMs, opts.signal);
  }
  stamp("agent stopped");
}
