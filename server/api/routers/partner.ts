import { getDashboardSummary } from "@/server/domain/dashboard/get-dashboard-summary";
import { getPartnerBranding } from "@/server/domain/partners/get-partner-branding";
import { partnerProcedure, router } from "../trpc";

export const partnerRouter = router({
  branding: partnerProcedure.query(({ ctx }) => getPartnerBranding(ctx.db, ctx.partnerId)),
  dashboard: partnerProcedure.query(({ ctx }) => getDashboardSummary(ctx.db, ctx.partnerId)),
});
