/**
 * The test double's NTLM server side against gss-ntlmssp as the client: a real initiator logs in to it, and the
 * session seals in both directions. So the double is never proven only against our own client.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type NtlmAccount, NtlmServerLogin } from "@/tests/support/winrm-double/ntlm-server.ts";
import { type GssPeer, startGssPeer } from "../support/gss-ntlm-peer.ts";

const account = { domain: "CLINIC", user: "scanner", password: "Corr3ct-Horse!" };
const host = { netbiosDomain: "CLINIC", netbiosName: "FS01", dnsDomain: "clinic.test" };
let peer: GssPeer | null = null;
afterEach(() => peer?.close());

async function gssLogin(accounts: NtlmAccount[], clientPassword: string) {
  peer = startGssPeer("initiator", { ...account, password: clientPassword });
  const server = new NtlmServerLogin(host, (d, u) =>
    accounts.find((a) => a.domain.toUpperCase() === d.toUpperCase() && a.user.toLowerCase() === u.toLowerCase()),
  );
  const negotiate = await peer.ask("start");
  expect(negotiate).toMatch(/^token /);
  const challenge = server.challengeFor(Buffer.from(negotiate.slice(6), "base64"));
  const authenticate = await peer.ask(`step ${challenge.toString("base64")}`);
  expect(authenticate).toMatch(/^token \S+ done$/);
  return server.verify(Buffer.from(authenticate.split(" ")[1] ?? "", "base64"));
}

describe("the double's NTLM server side with gss-ntlmssp as the client", () => {
  it("accepts the login, checks the MIC, and seals in both directions", async () => {
    const result = await gssLogin([account], account.password);
    if (!result.ok) throw new Error(`login refused: ${result.reason}`);
    for (let i = 0; i < 3; i++) {
      const reply = result.session.seal(Buffer.from(`<s:Envelope>${i}</s:Envelope>`));
      const answer = await peer?.ask(`unwrap ${Buffer.concat([reply.signature, reply.sealed]).toString("base64")}`);
      expect(answer).toBe(`data ${Buffer.from(`<s:Envelope>${i}</s:Envelope>`).toString("base64")} sealed`);
      const wrapped = (await peer?.ask(`wrap ${Buffer.from(`request ${i}`).toString("base64")}`)) ?? "";
      const token = Buffer.from(wrapped.slice(8), "base64");
      expect(result.session.unseal(token.subarray(16), token.subarray(0, 16)).toString()).toBe(`request ${i}`);
    }
  });

  it("refuses a wrong password", async () => {
    expect(await gssLogin([account], "wrong-password")).toEqual({ ok: false, reason: "wrong_password" });
  });

  it("refuses an unknown user", async () => {
    expect(await gssLogin([{ ...account, user: "someone-else" }], account.password)).toEqual({
      ok: false,
      reason: "unknown_user",
    });
  });
});
