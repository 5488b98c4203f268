/**
 * Cuts a scan's results into scan-results batches. Each batch id is derived from the scan id and its
 * position, so a batch re-sent after a lost acknowledgement is the same batch (Central Command counts it
 * once); the last batch carries scan_completed_at, which closes the scan flag.
 */
import type { ScanResult, ScanResultsRequest } from "../../../../server/contracts";
import type { HostScan } from "./scan-hosts";

export const MAX_RESULTS_PER_BATCH = 1_000;

/** One result on the wire: the shared contract's ScanResult. */
export type ScanResultWire = ScanResult;

/** A batch as the scanner makes it: ScanResultsRequest without appliance_id (added when it is journaled). */
export type ScanBatch = Omit<ScanResultsRequest, "appliance_id">;

/** The contract's longest display text (observed, expected, error). */
export const MAX_DISPLAY_CHARS = 4_000;

/** Display text cut to what the contract takes, so one long value never makes a whole batch unsendable. */
function clip(text: string): string {
  return text.length <= MAX_DISPLAY_CHARS ? text : `${text.slice(0, MAX_DISPLAY_CHARS - 1)}…`;
}

export function toWire(scan: HostScan): ScanResultWire[] {
  return scan.verdicts.map((v) => ({
    hostname: scan.hostname,
    check: v.check,
    status: v.status,
    observed: clip(v.observed),
    expected: clip(v.expected),
    checked_at: scan.checkedAt.toISOString(),
    ...(v.error ? { error: clip(v.error) } : {}),
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
  const last = batches.length - 1;
  batches[last] = { ...(batches[last] as ScanBatch), scan_completed_at: completedAt.toISOString() };
  return batches;
}
