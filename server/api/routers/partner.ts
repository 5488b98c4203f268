import { DashboardView, PartnerBrandingView, PartnerComplianceView, PartnerCoverageView } from "@/server/contracts/ui";
import { getDashboardSummary } from "@/server/domain/dashboard/get-dashboard-summary";
import { getPartnerCompliance } from "@/server/domain/dashboard/partner-compliance";
import { getPartnerCoverage } from "@/server/domain/dashboard/partner-coverage";
import { getPartnerBranding } from "@/server/domain/partners/get-partner-branding";
import { camelKeys } from "../camel-keys";
import { partnerProcedure, router } from "../trpc";

export const partnerRouter = router({
  branding: partnerProcedure
    .output(PartnerBrandingView)
    .query(async ({ ctx }) => camelKeys(await getPartnerBranding(ctx.db, ctx.partnerId))),
  dashboard: partnerProcedure
    .output(DashboardView)
    .query(async ({ ctx }) => camelKeys(await getDashboardSummary(ctx.db, ctx.partnerId))),
  /** AD coverage across the partner's sites, for the dashboard's card. */
  coverage: partnerProcedure
    .output(PartnerCoverageView)
    .query(async ({ ctx }) => camelKeys(await getPartnerCoverage(ctx.db, ctx.partnerId))),
  /** Compliance across the partner's sites and the worst offenders, for the dashboard's card. */
  compliance: partnerProcedure
    .output(PartnerComplianceView)
    .query(async ({ ctx }) => camelKeys(await getPartnerCompliance(ctx.db, ctx.partnerId))),
});
