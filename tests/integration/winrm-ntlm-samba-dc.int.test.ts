/**
 * The appliance's NTLMv2 client against the real Samba AD DC: a domain account (Administrator) logs in through an
 * LDAP SASL bind carrying the NTLM messages (the DC checks the response against its own SAM, as a Windows member
 * server asks its DC over NETLOGON); a wrong password is refused with AD's 52e, a tampered MIC is refused too.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { NtlmClient } from "@/appliance/src/winrm/ntlm/client.ts";
import { MIC_OFFSET } from "@/appliance/src/winrm/ntlm/messages.ts";
import { openLdap } from "@/tests/support/samba-dc/ldap-ntlm-bind.ts";
import { ensureTestDc, type TestDc } from "@/tests/support/samba-dc/samba-dc.ts";

let dc: TestDc;
let close: (() => void) | null = null;
beforeAll(async () => {
  dc = await ensureTestDc();
});
afterEach(() => close?.());

async function ntlmBind(password: string, tamper?: (auth: Buffer) => void) {
  const ldap = await openLdap(dc.ip);
  close = ldap.close;
  const client = new NtlmClient({ targetName: `ldap/${dc.hostname}` });
  const first = await ldap.bind(client.negotiateMessage());
  expect(first.resultCode).toBe(14); // saslBindInProgress, with the CHALLENGE
  if (!first.serverSaslCreds) throw new Error("the DC sent no NTLM challenge");
  const domain = dc.realm.split(".")[0] ?? "";
  const { message } = client.authenticateMessage(first.serverSaslCreds, { domain, user: "Administrator", password });
  tamper?.(message);
  return ldap.bind(message);
}

describe("NTLM login against the Samba AD DC", () => {
  it("is accepted for a domain account with its password", async () => {
    expect(await ntlmBind(dc.adminPassword)).toMatchObject({ resultCode: 0 });
  });

  it("is refused with a wrong password (AD data 52e)", async () => {
    const result = await ntlmBind("not-the-password");
    expect(result.resultCode).toBe(49);
    expect(result.diagnostic).toContain("data 52e");
  });

  it("is refused with a tampered MIC", async () => {
    const result = await ntlmBind(dc.adminPassword, (auth) => {
      auth[MIC_OFFSET + 3] = (auth[MIC_OFFSET + 3] ?? 0) ^ 0x01;
    });
    // data 57 = ERROR_INVALID_PARAMETER: Samba's MIC check, not a password failure (52e).
    expect(result.resultCode).toBe(49);
    expect(result.diagnostic).toContain("data 57");
  });
});
