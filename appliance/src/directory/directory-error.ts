/**
 * Every failure of domain discovery and enumeration, as a typed code plus a message a technician can act on.
 * Messages name the domain controller, the port and the account where they matter, and never contain a password.
 */
export type DirectoryErrorCode =
  | "wrong_password"
  | "account_locked"
  | "account_disabled"
  | "password_expired"
  | "must_change_password"
  | "account_expired"
  | "unknown_account"
  | "logon_restricted"
  | "invalid_credentials"
  | "tls_required"
  | "dc_unreachable"
  | "dc_timeout"
  | "no_certificate"
  | "certificate_untrusted"
  | "certificate_changed"
  | "no_domain_found"
  | "ldap_error";

export interface DirectoryErrorDetails {
  /** The domain controller (host name) the error is about. */
  dc?: string;
  port?: number;
  /** AD's sub-code of LDAP result 49 (52e, 775, ...). */
  adCode?: string;
  /** LDAP result code, when the DC sent one. */
  ldapCode?: number;
  /** SHA-256 fingerprints (AA:BB:...) for certificate errors. */
  pinnedSha256?: string;
  presentedSha256?: string;
  /** The presented certificate's names and expiry (certificate_changed), for Central Command's record. */
  presented?: { subject: string; issuer: string; validTo: string };
}

export class DirectoryError extends Error {
  readonly code: DirectoryErrorCode;
  readonly details: DirectoryErrorDetails;

  constructor(code: DirectoryErrorCode, message: string, details: DirectoryErrorDetails = {}) {
    super(message);
    this.name = "DirectoryError";
    this.code = code;
    this.details = details;
  }
}
