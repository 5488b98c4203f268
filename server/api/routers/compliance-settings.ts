import { z } from "zod";
import { ComplianceThresholds, SiteScanSchedule } from "@/server/contracts";
import { ComplianceThresholdsView, SiteScanScheduleView } from "@/server/contracts/ui";
import {
  getComplianceThresholds,
  updateComplianceThresholds,
} from "@/server/domain/compliance-settings/compliance-thresholds";
import { getSiteScanSchedule, setSiteScanSchedule } from "@/server/domain/compliance-settings/site-scan-schedule";
import { camelObject } from "../camel-input";
import { camelKeys, snakeKeys } from "../camel-keys";
import { partnerAdminProcedure, partnerProcedure, router } from "../trpc";

const siteId = z.object({ siteId: z.string().min(1).max(120) });

/** What compliant means for the partner's clients, and how often each site scans. */
export const complianceSettingsRouter = router({
  thresholds: partnerProcedure
    .output(ComplianceThresholdsView)
    .query(async ({ ctx }) => camelKeys(await getComplianceThresholds(ctx.db, ctx.partnerId))),
  updateThresholds: partnerAdminProcedure
    .input(camelObject(ComplianceThresholds).partial())
    .output(ComplianceThresholdsView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await updateComplianceThresholds(ctx.db, ctx.partnerId, snakeKeys(input), {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
  siteSchedule: partnerProcedure
    .input(siteId)
    .output(SiteScanScheduleView)
    .query(async ({ ctx, input }) => camelKeys(await getSiteScanSchedule(ctx.db, ctx.partnerId, input.siteId))),
  setSiteSchedule: partnerAdminProcedure
    .input(siteId.extend(camelObject(SiteScanSchedule).shape))
    .output(SiteScanScheduleView)
    .mutation(async ({ ctx, input: { siteId: site, ...schedule } }) =>
      camelKeys(
        await setSiteScanSchedule(ctx.db, ctx.partnerId, site, snakeKeys(schedule), {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
});
