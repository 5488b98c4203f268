/** LDAP and network errors in words a partner can act on. */
import { InvalidCredentialsError, StrongAuthRequiredError, UnwillingToPerformError } from "ldapts";
import { describe, expect, it } from "vitest";
import { adDataCode, describeLdapError } from "../../src/directory/ldap/describe-bind-error";
import { describeNetworkError } from "../../src/directory/ldap/describe-network-error";

/** The diagnostic message AD sends with result 49, for a data code. */
function bind49(data: string): InvalidCredentialsError {
  return new InvalidCredentialsError(
    `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v1db1`,
  );
}

describe("describeLdapError", () => {
  it.each([
    ["52e", "wrong_password", "the password for admin@clinic.local is wrong"],
    ["775", "account_locked", "the account admin@clinic.local is locked out"],
    ["533", "account_disabled", "the account admin@clinic.local is disabled"],
    ["532", "password_expired", "the password of admin@clinic.local has expired"],
    ["773", "must_change_password", "the account admin@clinic.local must change its password"],
    ["701", "account_expired", "the account admin@clinic.local has expired"],
    ["525", "unknown_account", "the domain does not know the account admin@clinic.local"],
    ["530", "logon_restricted", "may not log on at this time"],
    ["531", "logon_restricted", "may not log on from this computer"],
  ])("49 with data %s → %s", (data, code, words) => {
    const err = describeLdapError(bind49(data), "dc1.clinic.local", "admin@clinic.local");
    expect(err?.code).toBe(code);
    expect(err?.details).toEqual({ dc: "dc1.clinic.local", ldapCode: 49, adCode: data });
    expect(err?.message).toContain("The domain controller dc1.clinic.local refused the sign-in: ");
    expect(err?.message).toContain(words);
    expect(err?.message).toContain(`AD code ${data}`);
  });

  it("49 with an unknown or no data code is still a clear 'invalid credentials'", () => {
    const unknown = describeLdapError(bind49("999"), "dc1", "u@d");
    expect(unknown).toMatchObject({ code: "invalid_credentials", details: { adCode: "999" } });
    const none = describeLdapError(new InvalidCredentialsError("Invalid credentials"), "dc1", "u@d");
    expect(none?.code).toBe("invalid_credentials");
    expect(none?.message).toBe(
      "The domain controller dc1 refused the sign-in of u@d (invalid credentials). Check the user name and password.",
    );
  });

  it("8 → the domain controller requires signing/TLS", () => {
    const err = describeLdapError(
      new StrongAuthRequiredError(
        "00002028: LdapErr: DSID-0C090259, comment: The server requires binds to turn on integrity checking",
      ),
      "dc1.clinic.local",
      "u@d",
    );
    expect(err?.code).toBe("tls_required");
    expect(err?.message).toContain("The domain controller dc1.clinic.local requires signing/TLS");
  });

  it("other result codes keep the DC's words; errors without a result code are not LDAP errors", () => {
    const err = describeLdapError(new UnwillingToPerformError("no"), "dc1");
    expect(err).toMatchObject({ code: "ldap_error", details: { ldapCode: 53 } });
    expect(describeLdapError(Object.assign(new Error("x"), { code: "ECONNRESET" }), "dc1")).toBeUndefined();
  });

  it("finds the data code in AD's diagnostic text", () => {
    expect(adDataCode("AcceptSecurityContext error, data 775, v2580")).toBe("775");
    expect(adDataCode("AcceptSecurityContext error, data 52E, v4563")).toBe("52e");
    expect(adDataCode("Invalid credentials")).toBeUndefined();
  });
});

describe("describeNetworkError", () => {
  it("says why in words", () => {
    const e = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
    expect(describeNetworkError(e("ECONNREFUSED"))).toMatch(/^the connection was refused/);
    expect(describeNetworkError(e("EHOSTUNREACH"))).toBe("there is no route to the host");
    expect(describeNetworkError(e("ENOTFOUND"))).toBe("the name does not resolve in DNS");
    expect(describeNetworkError(new Error("Connection timeout"))).toMatch(/^no answer/);
    expect(describeNetworkError(e("EWEIRD"))).toBe("connect EWEIRD (EWEIRD)");
  });
});
