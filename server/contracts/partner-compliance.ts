import { z } from "zod";
import { ComplianceCheckName } from "./compliance";

/** One site's compliance on the dashboard (the site page has the matrix: GET …/sites/{id}/compliance). */
export const SiteComplianceRow = z.object({
  site_id: z.string(),
  client_name: z.string(),
  hosts: z.number().int(),
  /** Host × control results on record (the latest of each). */
  checked: z.number().int(),
  passing: z.number().int(),
  failing: z.number().int(),
  /** null when nothing was checked. */
  passing_percent: z.number().nullable(),
  last_checked_at: z.string().datetime().nullable(),
});
export type SiteComplianceRow = z.infer<typeof SiteComplianceRow>;

/** A host with failing controls, across the partner's sites. */
export const ComplianceOffender = z.object({
  site_id: z.string(),
  client_name: z.string(),
  hostname: z.string(),
  failing: z.number().int(),
  /** The failing controls, in the order of the controls table. */
  failing_checks: z.array(ComplianceCheckName),
  checked_at: z.string().datetime(),
});
export type ComplianceOffender = z.infer<typeof ComplianceOffender>;

/**
 * GET /api/partners/me/compliance (and partner.compliance): totals, the sites with results (lowest passing
 * share first, at most PARTNER_COMPLIANCE_SITES; `sites_with_results` counts them all), and the hosts with
 * the most failing controls (at most PARTNER_COMPLIANCE_OFFENDERS, none without a failing control).
 */
export const PartnerCompliance = z.object({
  totals: SiteComplianceRow.omit({ site_id: true, client_name: true, last_checked_at: true }),
  sites_with_results: z.number().int(),
  sites: z.array(SiteComplianceRow),
  worst_offenders: z.array(ComplianceOffender),
});
export type PartnerCompliance = z.infer<typeof PartnerCompliance>;

export const PARTNER_COMPLIANCE_SITES = 10;
export const PARTNER_COMPLIANCE_OFFENDERS = 5;
