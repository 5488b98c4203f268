/** The verdict for one control on one host, before the scanner stamps its host and observation time. */
export type CheckId = "bitlocker" | "defender" | "firewall" | "patches" | "screenlock" | "rmm";
export type CheckStatus = "pass" | "fail" | "unknown" | "error";

export interface CheckVerdict {
  readonly check: CheckId;
  readonly status: CheckStatus;
  /** What the host showed, in words a technician reads. */
  readonly observed: string;
  /** What compliant looks like, with the partner's threshold. */
  readonly expected: string;
  /** Why the value could not be read or the host could not be scanned. */
  readonly error?: string;
}

export function unreadable(check: CheckId, expected: string, error: string): CheckVerdict {
  return { check, status: "unknown", observed: "could not be read", expected, error };
}
