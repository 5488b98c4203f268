/**
 * The appliance's compliance scans: what a "scan" flag runs, and what the schedule runs between flags.
 * A scan reads the Windows targets of the latest check-in, runs the check script on each (scan-hosts.ts),
 * and hands the batches to `deliver`, which journals them durably before this resolves: an appliance
 * killed after a scan loses nothing. Thresholds and the interval come from the check-in (CheckinCompliance);
 * until the first answer that carries them, the seed's defaults apply and nothing is scheduled.
 */
import { randomUUID } from "node:crypto";
import type { CheckinCompliance } from "../../../../server/contracts";
import type { WindowsTarget } from "../../daemon/windows-targets";
import { type ComplianceThresholds, DEFAULT_THRESHOLDS } from "../thresholds";
import { batchScan, type ScanBatch } from "./scan-batches";
import { DEFAULT_HOST_TIMEOUT_MS, DEFAULT_SCAN_CONCURRENCY, type RunScript, scanHosts } from "./scan-hosts";

/** How hosts are scanned: the product runs the check script over its WinRM client (winrm-run-script.ts). */
export interface ComplianceScanSettings {
  runScript: RunScript;
  /** Hosts scanned at once (DEFAULT_SCAN_CONCURRENCY). */
  concurrency?: number;
  /** Per host, connection to last byte (DEFAULT_HOST_TIMEOUT_MS). */
  hostTimeoutMs?: number;
}

/** Journals a scan's batches (durably) for delivery; resolves once they are all on disk (journal-scan-batches.ts). */
export type DeliverScan = (batches: ScanBatch[]) => Promise<void>;

export interface ComplianceScannerOptions extends ComplianceScanSettings {
  deliver: DeliverScan;
}

export interface ScanContext {
  targets: readonly WindowsTarget[];
  signal: AbortSignal;
  now: () => Date;
  log: (line: string) => void;
}

export function toThresholds(wire: CheckinCompliance["thresholds"]): ComplianceThresholds {
  return {
    patchMaxAgeDays: wire.patch_max_age_days,
    screenLockMaxSeconds: wire.screen_lock_max_seconds,
    defenderSignatureMaxAgeDays: wire.defender_signature_max_age_days,
    rmmAllowList: wire.rmm_allow_list,
  };
}

export class ComplianceScanner {
  readonly #opts: ComplianceScannerOptions;
  #thresholds: ComplianceThresholds = DEFAULT_THRESHOLDS;
  #intervalMs: number | undefined;
  #lastStartedAt: Date | undefined;

  constructor(opts: ComplianceScannerOptions) {
    this.#opts = opts;
  }

  /** From each check-in answer. */
  configure(compliance: CheckinCompliance | undefined): void {
    if (!compliance) return;
    this.#thresholds = toThresholds(compliance.thresholds);
    this.#intervalMs = compliance.scan_interval_s * 1000;
  }

  /** A scheduled scan is due once an interval has passed since the last scan began (or since `since`). */
  scheduledScanDue(now: Date, since: Date): boolean {
    if (this.#intervalMs === undefined) return false;
    const from = this.#lastStartedAt ?? since;
    return now.getTime() - from.getTime() >= this.#intervalMs;
  }

  async scan(ctx: ScanContext): Promise<void> {
    const startedAt = ctx.now();
    this.#lastStartedAt = startedAt;
    const scanId = `scan-${startedAt.getTime().toString(36)}-${randomUUID().slice(0, 8)}`;
    const targets = ctx.targets;
    ctx.log(`compliance scan ${scanId} started: ${targets.length} Windows target(s)`);
    const scans = await scanHosts({
      targets,
      runScript: this.#opts.runScript,
      thresholds: this.#thresholds,
      concurrency: this.#opts.concurrency ?? DEFAULT_SCAN_CONCURRENCY,
      hostTimeoutMs: this.#opts.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS,
      signal: ctx.signal,
      now: ctx.now,
    });
    if (ctx.signal.aborted) {
      ctx.log(`compliance scan ${scanId} stopped with the daemon; nothing sent`);
      return;
    }
    const batches = batchScan(scanId, scans, ctx.now());
    await this.#opts.deliver(batches);
    const counts = { pass: 0, fail: 0, unknown: 0, error: 0 };
    for (const s of scans) for (const v of s.verdicts) counts[v.status] += 1;
    ctx.log(
      `compliance scan ${scanId} done: ${scans.length} host(s); ${counts.pass} pass, ${counts.fail} fail, ` +
        `${counts.unknown} unknown, ${counts.error} error; ${batches.length} batch(es) queued`,
    );
  }
}
