/**
 * What "compliant" means for a partner's clients, and how often a site scans. The appliance receives both
 * at every check-in (CheckinResponse.compliance), so a change reaches every site within one poll.
 * Defaults are the seed's: patches within 30 days, screen lock at most 600 s, hourly scans.
 */
import { z } from "zod";

export const RMM_ALLOW_LIST_MAX = 20;

export const ComplianceThresholds = z.object({
  patch_max_age_days: z.number().int().min(1).max(365),
  screen_lock_max_seconds: z.number().int().min(60).max(3600),
  defender_signature_max_age_days: z.number().int().min(1).max(60),
  /** The partner's own remote-access/RMM tools (names or catalogue ids): not a finding. */
  rmm_allow_list: z.array(z.string().trim().min(1).max(80)).max(RMM_ALLOW_LIST_MAX),
});
export type ComplianceThresholds = z.infer<typeof ComplianceThresholds>;

export const DEFAULT_COMPLIANCE_THRESHOLDS: ComplianceThresholds = {
  patch_max_age_days: 30,
  screen_lock_max_seconds: 600,
  defender_signature_max_age_days: 7,
  rmm_allow_list: [],
};

/** PUT /api/partners/me/compliance-settings: any subset of the thresholds. */
export const UpdateComplianceThresholdsRequest = ComplianceThresholds.partial()
  .strict()
  .refine((r) => Object.keys(r).length > 0, { message: "send at least one threshold to change" });
export type UpdateComplianceThresholdsRequest = z.infer<typeof UpdateComplianceThresholdsRequest>;

export const SCAN_INTERVAL_MINUTES = { min: 15, max: 1440, default: 60 } as const;

/** PUT /api/partners/me/sites/{site_id}/scan-schedule */
export const SiteScanSchedule = z.object({
  interval_minutes: z.number().int().min(SCAN_INTERVAL_MINUTES.min).max(SCAN_INTERVAL_MINUTES.max),
});
export type SiteScanSchedule = z.infer<typeof SiteScanSchedule>;

/** In the check-in response: the site's schedule and the partner's thresholds. */
export const CheckinCompliance = z.object({
  scan_interval_s: z.number().int().positive(),
  thresholds: ComplianceThresholds,
});
export type CheckinCompliance = z.infer<typeof CheckinCompliance>;
