/**
 * Runs the check script on every Windows target, a bounded number at a time, each within its own time
 * limit, and turns each host's output (or failure) into six verdicts stamped with the time they were
 * observed. A host that cannot be scanned is a result too (status "error" with the reason), so the
 * partner sees "credential rejected on FS01" rather than a host that silently stopped reporting.
 */
import type { WindowsTarget } from "../../daemon/windows-targets";
import type { CheckVerdict } from "../check-result";
import { CHECK_SCRIPT } from "../check-script";
import { evaluateHost, hostFailed } from "../evaluate-host";
import type { ComplianceThresholds } from "../thresholds";
import { describeScanFailure } from "./describe-scan-failure";

export interface ScriptOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs PowerShell on a target over WinRM; rejects when the host cannot be reached or refuses the login. */
export type RunScript = (
  target: WindowsTarget,
  script: string,
  options: { signal: AbortSignal; timeoutMs: number },
) => Promise<ScriptOutput>;

export interface HostScan {
  hostname: string;
  /** When the appliance received the host's answer (or gave up): the observation time, never rewritten. */
  checkedAt: Date;
  verdicts: CheckVerdict[];
}

export interface ScanHostsOptions {
  targets: readonly WindowsTarget[];
  runScript: RunScript;
  thresholds: ComplianceThresholds;
  /** Hosts scanned at once. */
  concurrency: number;
  /** Per host, connection to last byte. */
  hostTimeoutMs: number;
  signal: AbortSignal;
  now: () => Date;
  /** Called as each host finishes (for journaling results as they come). */
  onHost?: (scan: HostScan) => void | Promise<void>;
}

export const DEFAULT_SCAN_CONCURRENCY = 16;
export const DEFAULT_HOST_TIMEOUT_MS = 60_000;

async function scanOne(target: WindowsTarget, opts: ScanHostsOptions): Promise<HostScan> {
  const timeout = AbortSignal.timeout(opts.hostTimeoutMs);
  const signal = AbortSignal.any([opts.signal, timeout]);
  try {
    const output = await opts.runScript(target, CHECK_SCRIPT, { signal, timeoutMs: opts.hostTimeoutMs });
    const checkedAt = opts.now();
    return { hostname: target.hostname, checkedAt, verdicts: evaluateHost(output, opts.thresholds, checkedAt) };
  } catch (err) {
    const checkedAt = opts.now();
    const reason = describeScanFailure(timeout.aborted ? timeout.reason : err, {
      hostname: target.hostname,
      port: target.port,
      https: target.use_ssl,
      timeoutMs: opts.hostTimeoutMs,
    });
    return { hostname: target.hostname, checkedAt, verdicts: hostFailed(reason, opts.thresholds, checkedAt) };
  }
}

/** Scans each distinct hostname once (the first target naming it wins); stops starting hosts on abort. */
export async function scanHosts(opts: ScanHostsOptions): Promise<HostScan[]> {
  const seen = new Set<string>();
  const queue = opts.targets.filter((t) => {
    const key = t.hostname.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const scans: HostScan[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length && !opts.signal.aborted) {
      const target = queue[next++] as WindowsTarget;
      const scan = await scanOne(target, opts);
      if (opts.signal.aborted) return;
      scans.push(scan);
      await opts.onHost?.(scan);
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return scans;
}
