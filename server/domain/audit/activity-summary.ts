/**
 * One activity entry as a sentence a person reads ("Credential 'File server' added"), shared by the REST
 * answer, the CSV export and the UI. Built only from names and the audit row's non-secret metadata.
 */

export type SummaryInput = {
  action: string;
  actorDetail: string | null;
  targetName: string | null;
  siteName: string | null;
  ip: string | null;
  metadata: Record<string, unknown>;
};

const REASONS: Record<string, string> = {
  wrong_password: "wrong password",
  account_locked: "account locked",
  unknown_account: "no such account",
};

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null;
}

const quoted = (name: string | null, fallback: string) => (name ? `'${name}'` : fallback);

export function activitySummary(e: SummaryInput): string {
  const m = e.metadata;
  const t = e.targetName;
  const who = e.actorDetail ?? str(m.email) ?? "an unknown account";
  const from = e.ip ? ` from ${e.ip}` : "";
  const site = e.siteName ? ` at ${e.siteName}` : "";
  switch (e.action) {
    case "credential.created":
      return `Credential ${quoted(t, "(unnamed)")} added${site}`;
    case "credential.updated": {
      const renamed = str(m.renamed_from);
      return renamed
        ? `Credential '${renamed}' renamed to ${quoted(t, "(unnamed)")}${site}`
        : `Credential ${quoted(t, "(unnamed)")} changed${site}`;
    }
    case "credential.deleted":
      return `Credential ${quoted(t, "(unnamed)")} deleted${site}`;
    case "domain_credential.created":
      return `Domain credential for ${quoted(str(m.domain) ?? t, "the domain")} set${site}`;
    case "domain_credential.replaced":
      return `Domain credential for ${quoted(str(m.domain) ?? t, "the domain")} replaced${site}`;
    case "provision_code.created":
      return `Provision code for ${quoted(t, "a clinic")} created`;
    case "provision_code.revoked":
      return `Provision code for ${quoted(t, "a clinic")} revoked`;
    case "provision.claim":
      return `Provision code claimed by ${str(m.hostname) ?? "an appliance"} (${str(m.result) ?? "unknown result"})`;
    case "api_token.created":
      return `API token ${quoted(t, "(unnamed)")} created`;
    case "api_token.revoked":
      return `API token ${quoted(t, "(unnamed)")} revoked`;
    case "appliance.revoked":
      return `Appliance ${t ?? "(unknown)"} revoked`;
    case "appliance.rekeyed":
      return `Appliance ${t ?? "(unknown)"} rotated its key`;
    case "dc_certificate.accepted":
      return `Certificate of domain controller ${t ?? "(unknown)"} accepted`;
    case "user.signed_in":
      return `Signed in as ${who}${from}`;
    case "user.signed_out":
      return `${who} signed out`;
    case "user.sign_in_failed": {
      const reason = str(m.reason);
      return `Sign-in failed for ${who}${from}${reason ? ` (${REASONS[reason] ?? reason})` : ""}`;
    }
    case "user.sign_in_unlocked":
      return `Sign-in unlocked for ${t ?? "a user"}`;
    case "user.invited":
      return `User ${t ?? "(unknown)"} invited`;
    case "user.invite_reissued":
      return `Invite re-sent to ${t ?? "a user"}`;
    case "user.invite_accepted":
      return `${t ?? "A user"} accepted the invite`;
    case "user.password_reset_issued":
      return `Password reset link issued for ${t ?? "a user"}`;
    case "user.password_reset":
      return `${t ?? "A user"} reset the password`;
    case "user.removed":
      return `User ${t ?? "(unknown)"} removed`;
    case "user.role_changed":
      return `Role of ${t ?? "a user"} changed from ${str(m.from) ?? "?"} to ${str(m.to) ?? "?"}`;
    case "scan_schedule.updated":
      return `Scan schedule changed${site}`;
    case "compliance_thresholds.updated":
      return "Compliance thresholds changed";
    case "windows_targets.approved":
      return `${str(m.count) ?? "Some"} Windows targets approved${site}`;
    case "domain.discovered":
      return `Domain ${t ?? "(unknown)"} discovered${site}`;
    case "enumeration.received":
      return `Directory enumeration received${site}`;
    case "enumeration.merged":
      return `Directory enumeration merged${site}`;
    case "partner.created":
      return "Partner account created";
    default:
      return `${e.action}${t ? ` (${t})` : ""}`;
  }
}
