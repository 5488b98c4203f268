import { z } from "zod";
import { ComplianceCheckName } from "../compliance";
import { ApplianceStatusView, Timestamp } from "./common";

/** partner.branding: the white-label look of the caller's partner. */
export const PartnerBrandingView = z.object({
  slug: z.string(),
  brandName: z.string(),
  /** #RRGGBB */
  primaryColor: z.string(),
});
export type PartnerBrandingView = z.infer<typeof PartnerBrandingView>;

/** partner.dashboard: counts, and the appliances that changed last. */
export const DashboardView = z.object({
  sites: z.number().int().nonnegative(),
  /** Appliances in service (revoked ones are not counted) by status. */
  appliances: z.record(ApplianceStatusView, z.number().int().nonnegative()),
  /** Provision codes that can still be claimed. */
  pendingCodes: z.number().int().nonnegative(),
  recentAppliances: z.array(
    z.object({
      id: z.string(),
      hostname: z.string(),
      status: ApplianceStatusView,
      lastCheckinAt: Timestamp.nullable(),
      agentVersion: z.string().nullable(),
      site: z.object({ id: z.string(), clientName: z.string() }),
    }),
  ),
});
export type DashboardView = z.infer<typeof DashboardView>;

const CoverageCountsView = z.object({
  computersInAd: z.number().int(),
  serversInAd: z.number().int(),
  serversScanned: z.number().int(),
  agentsReporting: z.number().int(),
  coveragePercent: z.number().nullable(),
  disabled: z.number().int(),
  stale: z.number().int(),
  serversAwaitingApproval: z.number().int(),
});

/** partner.coverage: AD coverage across the partner's sites (lowest coverage first, at most 10 sites). */
export const PartnerCoverageView = z.object({
  totals: CoverageCountsView,
  sitesWithAd: z.number().int(),
  sites: z.array(CoverageCountsView.extend({ siteId: z.string(), clientName: z.string() })),
});
export type PartnerCoverageView = z.infer<typeof PartnerCoverageView>;

const ComplianceCountsView = z.object({
  hosts: z.number().int(),
  checked: z.number().int(),
  passing: z.number().int(),
  failing: z.number().int(),
  passingPercent: z.number().nullable(),
});

/** partner.compliance: compliance across the partner's sites (lowest passing share first) and worst offenders. */
export const PartnerComplianceView = z.object({
  totals: ComplianceCountsView,
  sitesWithResults: z.number().int(),
  sites: z.array(
    ComplianceCountsView.extend({ siteId: z.string(), clientName: z.string(), lastCheckedAt: Timestamp.nullable() }),
  ),
  worstOffenders: z.array(
    z.object({
      siteId: z.string(),
      clientName: z.string(),
      hostname: z.string(),
      failing: z.number().int(),
      failingChecks: z.array(ComplianceCheckName),
      checkedAt: Timestamp,
    }),
  ),
});
export type PartnerComplianceView = z.infer<typeof PartnerComplianceView>;
