/**
 * The client's NTLMv2 login against Samba's real server side (ntlm_auth): accepted with the right password,
 * refused with a wrong one or a tampered MIC; the session key Samba derives seals like ours.
 */
import { afterEach, describe, expect, it } from "vitest";
import { NtlmClient, type NtlmCredentials } from "@/appliance/src/winrm/ntlm/client.ts";
import { MIC_OFFSET } from "@/appliance/src/winrm/ntlm/messages.ts";
import { NtlmSession } from "@/appliance/src/winrm/ntlm/session-security.ts";
import { type NtlmAuthHelper, startNtlmAuth } from "../support/ntlm-auth-helper.ts";

const account = { domain: "CLINIC", user: "scanner", password: "Corr3ct-Horse!" };
let helper: NtlmAuthHelper | null = null;
afterEach(() => helper?.close());

async function login(credentials: NtlmCredentials, tamper?: (auth: Buffer) => void, channelBindings?: Buffer) {
  helper = startNtlmAuth(account);
  const client = new NtlmClient({ channelBindings, targetName: "HTTP/server.clinic.test", workstation: "APPLIANCE" });
  const tt = await helper.ask(`YR ${client.negotiateMessage().toString("base64")}`);
  expect(tt).toMatch(/^TT /);
  const { message, session, flags } = client.authenticateMessage(Buffer.from(tt.slice(3), "base64"), credentials);
  tamper?.(message);
  const verdict = await helper.ask(`KK ${message.toString("base64")}`);
  return { verdict, session, flags };
}

describe("NTLM login against Samba's ntlm_auth", () => {
  it("is accepted with the right password, with the flags a Windows client negotiates", async () => {
    const { verdict, flags } = await login(account);
    expect(verdict).toBe("AF CLINIC\\scanner");
    expect(await helper?.ask("GF")).toBe(`GF 0x${flags.toString(16)}`);
    expect(flags.toString(16)).toBe("e2088235");
  });

  it("gives Samba the same exported session key: what we seal, a session on Samba's key unseals", async () => {
    const { verdict, session } = await login(account);
    expect(verdict).toMatch(/^AF /);
    const gk = (await helper?.ask("GK")) ?? "";
    expect(gk).toMatch(/^GK /);
    const server = new NtlmSession(Buffer.from(gk.slice(3), "base64"), "server");
    const up = session.seal(Buffer.from("<s:Envelope/>"));
    expect(server.unseal(up.sealed, up.signature).toString()).toBe("<s:Envelope/>");
    const down = server.seal(Buffer.from("reply"));
    expect(session.unseal(down.sealed, down.signature).toString()).toBe("reply");
  });

  it("is accepted with channel bindings present (as over HTTPS)", async () => {
    const { verdict } = await login(account, undefined, Buffer.alloc(16, 7));
    expect(verdict).toBe("AF CLINIC\\scanner");
  });

  it("is refused with a wrong password", async () => {
    const { verdict } = await login({ ...account, password: "wrong-password" });
    expect(verdict).toBe("NA NT_STATUS_LOGON_FAILURE");
  });

  it("is refused with a tampered MIC", async () => {
    const { verdict } = await login(account, (auth) => {
      auth[MIC_OFFSET] = (auth[MIC_OFFSET] ?? 0) ^ 0xff;
    });
    expect(verdict).toMatch(/^NA NT_STATUS_/);
    expect(verdict).not.toBe("NA NT_STATUS_LOGON_FAILURE");
  });
});
