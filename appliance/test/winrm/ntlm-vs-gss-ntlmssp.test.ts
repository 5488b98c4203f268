/**
 * Session security against gss-ntlmssp's real wrap/unwrap: our client logs in to a gss-ntlmssp acceptor, then
 * messages are sealed by one side and unsealed by the other, in both directions, many times (the RC4 keystreams
 * and sequence numbers must stay in step). A GSS wrap token is the 16-byte signature followed by the sealed data.
 */
import { afterEach, describe, expect, it } from "vitest";
import { NtlmClient } from "@/appliance/src/winrm/ntlm/client.ts";
import type { NtlmSession } from "@/appliance/src/winrm/ntlm/session-security.ts";
import { type GssPeer, startGssPeer } from "../support/gss-ntlm-peer.ts";

const account = { domain: "CLINIC", user: "scanner", password: "Corr3ct-Horse!" };
let peer: GssPeer | null = null;
afterEach(() => peer?.close());

async function loginToGss(password: string): Promise<{ session: NtlmSession; answer: string }> {
  peer = startGssPeer("acceptor", account);
  const client = new NtlmClient({ workstation: "APPLIANCE" });
  const challenge = await peer.ask(`step ${client.negotiateMessage().toString("base64")}`);
  expect(challenge).toMatch(/^token /);
  const { message, session } = client.authenticateMessage(Buffer.from(challenge.slice(6), "base64"), {
    ...account,
    password,
  });
  return { session, answer: await peer.ask(`step ${message.toString("base64")}`) };
}

describe("NTLM session security against gss-ntlmssp", () => {
  it("logs in, then seals and unseals in both directions, message after message", async () => {
    const { session, answer } = await loginToGss(account.password);
    expect(answer).toBe("token - done");
    for (let i = 0; i < 5; i++) {
      const text = `<s:Envelope>request ${i} ${"é".repeat(i * 50)}</s:Envelope>`;
      const up = session.seal(Buffer.from(text));
      const unwrapped = await peer?.ask(`unwrap ${Buffer.concat([up.signature, up.sealed]).toString("base64")}`);
      expect(unwrapped).toBe(`data ${Buffer.from(text).toString("base64")} sealed`);

      const reply = `reply ${i} from gss-ntlmssp`;
      const wrapped = (await peer?.ask(`wrap ${Buffer.from(reply).toString("base64")}`)) ?? "";
      expect(wrapped).toMatch(/^wrapped /);
      const token = Buffer.from(wrapped.slice(8), "base64");
      expect(session.unseal(token.subarray(16), token.subarray(0, 16)).toString()).toBe(reply);
    }
  });

  it("gss-ntlmssp refuses a message we tampered with after sealing", async () => {
    const { session, answer: login } = await loginToGss(account.password);
    expect(login).toBe("token - done");
    const up = session.seal(Buffer.from("<s:Envelope/>"));
    up.sealed[3] = (up.sealed[3] ?? 0) ^ 0x20;
    const answer = await peer?.ask(`unwrap ${Buffer.concat([up.signature, up.sealed]).toString("base64")}`);
    expect(answer).toMatch(/^error /);
  });

  it("gss-ntlmssp refuses the login with a wrong password", async () => {
    const { answer } = await loginToGss("not-the-password");
    expect(answer).toMatch(/^error /);
  });
});
