/**
 * LDAP errors of a bind, in words a partner can act on. AD answers a failed bind with result 49 and the reason in
 * the diagnostic message ("... AcceptSecurityContext error, data 52e, v1db1"); that data code says which of
 * wrong password, locked, disabled, expired... it was. Result 8 means the DC wants a protected connection.
 */
import { DirectoryError, type DirectoryErrorCode } from "../directory-error";

interface AdReason {
  code: DirectoryErrorCode;
  text: (user: string) => string;
}

const AD_DATA_CODES: Record<string, AdReason> = {
  "52e": {
    code: "wrong_password",
    text: (u) => `the password for ${u} is wrong (AD code 52e). Check it and enter the credential again`,
  },
  "775": {
    code: "account_locked",
    text: (u) =>
      `the account ${u} is locked out after too many wrong passwords (AD code 775). Unlock it in Active Directory ` +
      "Users and Computers (or wait until the lockout expires), then retry",
  },
  "533": {
    code: "account_disabled",
    text: (u) =>
      `the account ${u} is disabled (AD code 533). Enable it in Active Directory, or enter another domain admin account`,
  },
  "532": {
    code: "password_expired",
    text: (u) =>
      `the password of ${u} has expired (AD code 532). Set a new password in Active Directory, then enter it`,
  },
  "773": {
    code: "must_change_password",
    text: (u) =>
      `the account ${u} must change its password before it can be used (AD code 773). Change the password (or clear ` +
      '"User must change password at next logon"), then enter the new one',
  },
  "701": {
    code: "account_expired",
    text: (u) =>
      `the account ${u} has expired (AD code 701). Extend its expiry date in Active Directory, or use another account`,
  },
  "525": {
    code: "unknown_account",
    text: (u) => `the domain does not know the account ${u} (AD code 525). Check the user name (user@domain)`,
  },
  "530": {
    code: "logon_restricted",
    text: (u) => `the account ${u} may not log on at this time (AD code 530). Check its logon hours`,
  },
  "531": {
    code: "logon_restricted",
    text: (u) => `the account ${u} may not log on from this computer (AD code 531). Check its "Log On To" workstations`,
  },
};

/** The AD data code in a bind error's diagnostic message ("data 52e," → "52e"), lower-case. */
export function adDataCode(message: string): string | undefined {
  return /\bdata ([0-9a-f]{3,8})\b/i.exec(message)?.[1]?.toLowerCase();
}

function ldapResultCode(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

/**
 * A DirectoryError for an LDAP error from `dc` while binding as `user` (or searching, when user is absent).
 * Returns undefined when the error carries no LDAP result code (network and TLS errors are described elsewhere).
 */
export function describeLdapError(err: unknown, dc: string, user?: string): DirectoryError | undefined {
  const code = ldapResultCode(err);
  if (code === undefined) return undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 49) {
    const data = adDataCode(message);
    const reason = data ? AD_DATA_CODES[data] : undefined;
    const who = user ?? "the account";
    if (reason) {
      return new DirectoryError(reason.code, `The domain controller ${dc} refused the sign-in: ${reason.text(who)}.`, {
        dc,
        ldapCode: 49,
        adCode: data,
      });
    }
    return new DirectoryError(
      "invalid_credentials",
      `The domain controller ${dc} refused the sign-in of ${who} (invalid credentials${data ? `, AD code ${data}` : ""}). Check the user name and password.`,
      { dc, ldapCode: 49, ...(data ? { adCode: data } : {}) },
    );
  }
  if (code === 8) {
    return new DirectoryError(
      "tls_required",
      `The domain controller ${dc} requires signing/TLS (LDAP result 8, stronger authentication required). ` +
        "The appliance binds only over LDAPS or StartTLS: install a certificate on the DC so it offers TLS.",
      { dc, ldapCode: 8 },
    );
  }
  return new DirectoryError("ldap_error", `The domain controller ${dc} answered LDAP error ${code}: ${message}`, {
    dc,
    ldapCode: code,
  });
}
