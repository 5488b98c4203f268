/**
 * Compliance results (issue 9). The appliance scans its site's Windows targets and posts the results;
 * Central Command keeps the latest result per host and check, a history, and the drift between them.
 * Results have a `source`: `appliance_scan` for servers scanned over WinRM, `agent` for workstation agents
 * (later), so both fill the same host × control matrix. Field names are the seed's snake_case.
 */
import { z } from "zod";
import { COMPLIANCE_CHECKS } from "./compliance-controls";

const Timestamp = z.string().datetime({ offset: true });

export const ComplianceCheckName = z.enum(COMPLIANCE_CHECKS);
export const ComplianceStatus = z.enum(["pass", "fail", "unknown", "error"]);
export type ComplianceStatus = z.infer<typeof ComplianceStatus>;
export const ComplianceSource = z.enum(["appliance_scan", "agent"]);
export type ComplianceSource = z.infer<typeof ComplianceSource>;

/** Most results one post may carry; a larger scan is sent as several batches. */
export const SCAN_RESULTS_MAX_PER_BATCH = 5_000;
/** The body limit of POST /api/appliances/scan-results (server/http/body.ts). */
export const SCAN_RESULTS_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A host as the appliance was told it (a DNS name or an address); compared lower-case. */
const ScanHostname = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(253, "must be at most 253 characters")
  .regex(/^[A-Za-z0-9._:[\]-]+$/, "must be a host name or address")
  .transform((h) => h.toLowerCase());

/** Display text for people (observed and expected values, error wording). */
const DisplayText = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const ScanResult = z.object({
  hostname: ScanHostname,
  check: ComplianceCheckName,
  /** `unknown`: the value could not be read (never counted as a pass); `error`: the check could not run. */
  status: ComplianceStatus,
  observed: DisplayText(4_000),
  expected: DisplayText(4_000),
  /** When the value was observed on the host (kept as sent, even when the batch arrives much later). */
  checked_at: Timestamp,
  /** Why a check could not run, in words a technician can act on. */
  error: DisplayText(4_000).optional(),
});
export type ScanResult = z.input<typeof ScanResult>;

/**
 * POST /api/appliances/scan-results (appliance key). `batch_id` is the idempotency key: the same batch
 * again changes nothing and gets the same answer; the same `batch_id` with other content is a 409. A batch
 * naming a host that is not one of the site's Windows targets is refused whole (422, naming the host).
 * `scan_completed_at` goes on the last batch of a scan: it records the appliance's last completed scan and
 * completes the immediate-scan flag that started it, so the flag is not delivered again.
 */
export const ScanResultsRequest = z.object({
  appliance_id: z.string().min(1).max(200),
  batch_id: z
    .string()
    .min(1, "must not be empty")
    .max(128, "must be at most 128 characters")
    .regex(/^[A-Za-z0-9_-]+$/, "must be letters, digits, '-' and '_'"),
  results: z
    .array(ScanResult)
    .max(SCAN_RESULTS_MAX_PER_BATCH, `must hold at most ${SCAN_RESULTS_MAX_PER_BATCH} results; send several batches`),
  scan_completed_at: Timestamp.optional(),
});
export type ScanResultsRequest = z.input<typeof ScanResultsRequest>;

/** 200 answer; a repeated batch gets the first answer again, with `duplicate: true`. */
export const ScanResultsResponse = z.object({
  status: z.literal("accepted"),
  batch_id: z.string(),
  duplicate: z.boolean(),
  /** Results stored in the history. */
  stored: z.number().int().nonnegative(),
  /** Host-and-check pairs whose latest result this batch replaced. */
  latest_updated: z.number().int().nonnegative(),
  /** Results whose status differs from the one before them. */
  drifted: z.number().int().nonnegative(),
  /** Results older than the latest already held (kept in the history only). */
  late: z.number().int().nonnegative(),
  /** Host-and-check pairs that started failing (the partner was notified once for them). */
  newly_failing: z.number().int().nonnegative(),
});
export type ScanResultsResponse = z.infer<typeof ScanResultsResponse>;

// ───────────────────────────── the partner's view ─────────────────────────────

export const COMPLIANCE_SORT_FIELDS = ["hostname", "failing", "checked_at"] as const;
export const COMPLIANCE_MAX_PAGE_SIZE = 200;

/** GET /api/partners/me/sites/{site_id}/compliance?q=&check=&status=&sort=&order=&page=&page_size= */
export const SiteComplianceQuery = z.object({
  /** Part of a host name, case-insensitive. */
  q: z.string().trim().max(253, "must be at most 253 characters").optional(),
  /** Only this control (hosts without a result for it are left out). */
  check: ComplianceCheckName.optional(),
  /** Only hosts with at least one control (or `check`) in this status; `fail` is "failing only". */
  status: ComplianceStatus.optional(),
  /** `failing`: hosts with most failing controls first; `checked_at`: most recently checked first. */
  sort: z.enum(COMPLIANCE_SORT_FIELDS).default("hostname"),
  order: z.enum(["asc", "desc"]).optional(),
  page: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(1),
  page_size: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(COMPLIANCE_MAX_PAGE_SIZE, `must be at most ${COMPLIANCE_MAX_PAGE_SIZE}`)
    .default(50),
});
export type SiteComplianceQuery = z.input<typeof SiteComplianceQuery>;

export const ComplianceCheckResult = z.object({
  check: ComplianceCheckName,
  status: ComplianceStatus,
  observed: z.string(),
  expected: z.string(),
  error: z.string().nullable(),
  source: ComplianceSource,
  /** When the host was observed. */
  checked_at: z.string().datetime(),
  /** When the status last changed (its first observation, if it never changed). */
  changed_at: z.string().datetime(),
  hipaa_control: z.string(),
});
export type ComplianceCheckResult = z.infer<typeof ComplianceCheckResult>;

export const ComplianceHost = z.object({
  hostname: z.string(),
  /** `server`: scanned by the appliance over WinRM; `workstation`: reported by its agent. */
  kind: z.enum(["server", "workstation"]),
  /** The latest result per control, in the order of the controls table; a control never checked is absent. */
  checks: z.array(ComplianceCheckResult),
});
export type ComplianceHost = z.infer<typeof ComplianceHost>;

export const ComplianceControlWire = z.object({
  check: ComplianceCheckName,
  name: z.string(),
  hipaa_control: z.string(),
  rationale: z.string(),
});

export const SiteCompliance = z.object({
  site_id: z.string(),
  /** The controls, in matrix column order, with their citations. */
  controls: z.array(ComplianceControlWire),
  hosts: z.array(ComplianceHost),
  /** Hosts matching the filters, across all pages. */
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  /** The whole site, whatever the filters: host-and-control pairs checked, passing and failing. */
  summary: z.object({
    hosts: z.number().int(),
    checked: z.number().int(),
    passing: z.number().int(),
    failing: z.number().int(),
  }),
  /** The latest scan any of the site's appliances completed. */
  last_scan_completed_at: z.string().datetime().nullable(),
});
export type SiteCompliance = z.infer<typeof SiteCompliance>;

/** GET /api/partners/me/sites/{site_id}/compliance/drift?limit=&cursor=&hostname=&check= */
export const ComplianceDriftQuery = z.object({
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(500, "must be at most 500")
    .default(100),
  /** The `next_cursor` of the previous page. */
  cursor: z.string().min(1).max(512).optional(),
  hostname: ScanHostname.optional(),
  check: ComplianceCheckName.optional(),
});
export type ComplianceDriftQuery = z.input<typeof ComplianceDriftQuery>;

export const ComplianceDriftEvent = z.object({
  id: z.string(),
  hostname: z.string(),
  check: ComplianceCheckName,
  from: ComplianceStatus,
  to: ComplianceStatus,
  observed: z.string(),
  expected: z.string(),
  source: ComplianceSource,
  checked_at: z.string().datetime(),
  received_at: z.string().datetime(),
  hipaa_control: z.string(),
});
export type ComplianceDriftEvent = z.infer<typeof ComplianceDriftEvent>;

/** Newest observation first; `next_cursor` is null on the last page, otherwise pass it as `?cursor=`. */
export const ComplianceDriftPage = z.object({
  drift: z.array(ComplianceDriftEvent),
  next_cursor: z.string().nullable(),
});
export type ComplianceDriftPage = z.infer<typeof ComplianceDriftPage>;
