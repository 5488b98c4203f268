/**
 * Cuts a scan's results into scan-results batches. Each batch id is derived from the scan id and its
 * position, so a batch re-sent after a lost acknowledgement is the same batch (Central Command counts it
 * once); the last batch carries scan_completed_at, which closes the scan flag.
 */
import type { HostScan } from "./scan-hosts";

export const MAX_RESULTS_PER_BATCH = 1_000;

export interface ScanResultWire {
  hostname: string;
  check: string;
  status: string;
  observed: string;
  expected: string;
  checked_at: string;
  error?: string;
}

export interface ScanBatch {
  batch_id: string;
  results: ScanResultWire[];
  scan_completed_at?: string;
}

export function toWire(scan: HostScan): ScanResultWire[] {
  return scan.verdicts.map((v) => ({
    hostname: scan.hostname,
    check: v.check,
    status: v.status,
    observed: v.observed,
    expected: v.expected,
    checked_at: scan.checkedAt.toISOString(),
    ...(v.error ? { error: v.error } : {}),
  }));
}

/** One batch per MAX_RESULTS_PER_BATCH results (a host's six results never split); at least one batch. */
export function batchScan(scanId: string, scans: readonly HostScan[], completedAt: Date): ScanBatch[] {
  const batches: ScanBatch[] = [];
  let current: ScanResultWire[] = [];
  const flush = () => {
    batches.push({ batch_id: `${scanId}-${batches.length + 1}`, results: current });
    current = [];
  };
  for (const scan of scans) {
    const wire = toWire(scan);
    if (current.length > 0 && current.length + wire.length > MAX_RESULTS_PER_BATCH) flush();
    current.push(...wire);
  }
  flush();
  const last = batches[batches.length - 1] as ScanBatch;
  last.scan_completed_at = completedAt.toISOString();
  return batches;
}
