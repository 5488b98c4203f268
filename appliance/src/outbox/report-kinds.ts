/**
 * What the appliance journals and sends to Central Command through its outbox: each kind of report, once, with
 * the endpoint it goes to (and so the shared zod contract from server/contracts its body must match) and
 * whether a newer report replaces an unsent older one of the same kind. Adding a report (compliance scan
 * results, workstation agent evidence…) is one entry here: the outbox, its files and its sender stay as they are.
 *
 * The kind's name is also part of the journal's file names, so it is kebab-case and never renamed.
 */
import type { z } from "zod";
import { ENDPOINTS, type Endpoint } from "../central-command/endpoints";

export interface ReportKind<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  /** kebab-case, [a-z0-9-]; appears in file names and log lines. */
  name: string;
  /** Where the report goes; its `request` contract is what a body is checked against before it is journaled. */
  endpoint: Endpoint<Req, Res>;
  /**
   * A state report (the latest one says it all): journaling one removes the unsent older reports of this kind.
   * An event or a piece of data (enumeration results, a chunk) is never coalesced.
   */
  coalesce: boolean;
  /** A few words for log lines (never the body's content beyond identifiers). */
  describe: (body: z.output<Req>) => string;
  /** What a refusal with this HTTP status means for this kind, appended to the refusal's log line. */
  refusalHint?: (status: number | undefined) => string | undefined;
}

function reportKind<Req extends z.ZodType, Res extends z.ZodType>(k: ReportKind<Req, Res>): ReportKind<Req, Res> {
  return k;
}

export const REPORT_KINDS = {
  /** DomainDiscoveredRequest: the domain and its DCs; the newest discovery is all Central Command needs. */
  domainDiscovered: reportKind({
    name: "domain-discovered",
    endpoint: ENDPOINTS.domainDiscovered,
    coalesce: true,
    describe: (b) => `domain-discovered report (${b.domain})`,
  }),
  /** DomainDiscoveryFailedRequest: no domain found and what was searched; the newest failure replaces older ones. */
  domainDiscoveryFailed: reportKind({
    name: "domain-discovery-failed",
    endpoint: ENDPOINTS.domainDiscoveryFailed,
    coalesce: true,
    describe: () => "domain-discovery-failed report",
  }),
  /** EnumerationResultsRequest: a whole run, or one chunk of a bigger one (every chunk is kept, in order). */
  enumerationResults: reportKind({
    name: "enumeration-results",
    endpoint: ENDPOINTS.enumerationResults,
    coalesce: false,
    describe: (b) => `enumeration results of ${b.domain}${b.run_id !== undefined ? ` (chunk ${b.chunk})` : ""}`,
  }),
  /** EnumerationFailedRequest: why an enumeration could not run. */
  enumerationFailed: reportKind({
    name: "enumeration-failed",
    endpoint: ENDPOINTS.enumerationFailed,
    coalesce: false,
    describe: (b) => `enumeration-failed report (${b.domain}${b.code ? `, ${b.code}` : ""})`,
  }),
  /**
   * ScanResultsRequest: one batch of a compliance scan (every batch is kept, in order; Central Command stores a
   * batch sent twice once, by batch_id). A 422 names a host that is no longer one of the site's Windows targets.
   */
  scanResults: reportKind({
    name: "scan-results",
    endpoint: ENDPOINTS.scanResults,
    coalesce: false,
    describe: (b) =>
      `compliance results ${b.batch_id} (${b.results.length} result${b.results.length === 1 ? "" : "s"}` +
      `${b.scan_completed_at ? ", the scan's last batch" : ""})`,
    refusalHint: (status) =>
      status === 422
        ? "a host in it is no longer one of the site's Windows targets (its credential or approval was removed since the scan); the batch is not sent again"
        : undefined,
  }),
} as const;

export type ReportKinds = typeof REPORT_KINDS;
export type ReportKindKey = keyof ReportKinds;
/** The body a kind takes (the contract's input type). */
export type ReportBody<K extends ReportKindKey> = z.input<ReportKinds[K]["endpoint"]["request"]>;

/** The kind of a journaled record, by its name (undefined for a name this version does not know). */
export function reportKindByName(name: string): ReportKind | undefined {
  return Object.values(REPORT_KINDS).find((k) => k.name === name) as ReportKind | undefined;
}
