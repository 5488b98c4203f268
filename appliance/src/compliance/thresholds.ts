/**
 * What "compliant" means, per partner. Defaults are the seed's (patches within 30 days, screen lock at most
 * 600 s); Defender's signature age follows Windows' own "out of date" default of 7 days.
 */
export interface ComplianceThresholds {
  readonly patchMaxAgeDays: number;
  readonly screenLockMaxSeconds: number;
  readonly defenderSignatureMaxAgeDays: number;
  /** Remote-access tools the partner uses itself (names or catalogue ids from rmm-catalogue.ts). */
  readonly rmmAllowList: readonly string[];
}

export const DEFAULT_THRESHOLDS: ComplianceThresholds = {
  patchMaxAgeDays: 30,
  screenLockMaxSeconds: 600,
  defenderSignatureMaxAgeDays: 7,
  rmmAllowList: [],
};
