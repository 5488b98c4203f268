import { z } from "zod";

/** complianceSettings.thresholds / updateThresholds */
export const ComplianceThresholdsView = z.object({
  patchMaxAgeDays: z.number().int(),
  screenLockMaxSeconds: z.number().int(),
  defenderSignatureMaxAgeDays: z.number().int(),
  rmmAllowList: z.array(z.string()),
});
export type ComplianceThresholdsView = z.infer<typeof ComplianceThresholdsView>;

/** complianceSettings.siteSchedule / setSiteSchedule */
export const SiteScanScheduleView = z.object({ intervalMinutes: z.number().int() });
export type SiteScanScheduleView = z.infer<typeof SiteScanScheduleView>;
