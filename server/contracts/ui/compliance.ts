/**
 * Compliance as the partner UI sees it (camelCase; the REST shapes are in ../compliance.ts): the outputs of
 * sites.compliance (the host × control matrix, a page of hosts) and sites.complianceDrift (the timeline).
 * Citations come from the one controls table (../compliance-controls.ts).
 */
import { z } from "zod";
import { ComplianceCheckName, ComplianceSource, ComplianceStatus } from "../compliance";
import { Timestamp } from "./common";

export const ComplianceCheckView = z.object({
  check: ComplianceCheckName,
  status: ComplianceStatus,
  observed: z.string(),
  expected: z.string(),
  error: z.string().nullable(),
  source: ComplianceSource,
  checkedAt: Timestamp,
  changedAt: Timestamp,
  hipaaControl: z.string(),
});
export type ComplianceCheckView = z.infer<typeof ComplianceCheckView>;

/** sites.compliance */
export const SiteComplianceView = z.object({
  siteId: z.string(),
  controls: z.array(
    z.object({ check: ComplianceCheckName, name: z.string(), hipaaControl: z.string(), rationale: z.string() }),
  ),
  hosts: z.array(
    z.object({
      hostname: z.string(),
      kind: z.enum(["server", "workstation"]),
      checks: z.array(ComplianceCheckView),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  summary: z.object({
    hosts: z.number().int(),
    checked: z.number().int(),
    passing: z.number().int(),
    failing: z.number().int(),
  }),
  lastScanCompletedAt: Timestamp.nullable(),
});
export type SiteComplianceView = z.infer<typeof SiteComplianceView>;

/** sites.complianceDrift: newest first; pass `nextCursor` as the next call's `cursor` (null: last page). */
export const ComplianceDriftPageView = z.object({
  drift: z.array(
    z.object({
      id: z.string(),
      hostname: z.string(),
      check: ComplianceCheckName,
      from: ComplianceStatus,
      to: ComplianceStatus,
      observed: z.string(),
      expected: z.string(),
      source: ComplianceSource,
      checkedAt: Timestamp,
      receivedAt: Timestamp,
      hipaaControl: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type ComplianceDriftPageView = z.infer<typeof ComplianceDriftPageView>;
