/** MD4, RC4 and NTLMv2 against published known answers: RFC 1320, RC4 test vectors, MS-NLMP §4.2.4. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeAvPairs, parseAvPairs } from "@/appliance/src/winrm/ntlm/av-pairs.ts";
import { channelBindingsHash } from "@/appliance/src/winrm/ntlm/channel-bindings.ts";
import { NtlmClient } from "@/appliance/src/winrm/ntlm/client.ts";
import { computeResponseV2, fileTime, ntowfv1, ntowfv2, sessionKeys } from "@/appliance/src/winrm/ntlm/crypto.ts";
import { CLIENT_FLAGS } from "@/appliance/src/winrm/ntlm/flags.ts";
import { md4 } from "@/appliance/src/winrm/ntlm/md4.ts";
import { encodeChallenge, parseAuthenticate } from "@/appliance/src/winrm/ntlm/messages.ts";
import { Rc4, rc4k } from "@/appliance/src/winrm/ntlm/rc4.ts";
import { NtlmIntegrityError, NtlmSession } from "@/appliance/src/winrm/ntlm/session-security.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");

describe("MD4 (RFC 1320 appendix A.5)", () => {
  it.each([
    ["", "31d6cfe0d16ae931b73c59d7e0c089c0"],
    ["a", "bde52cb31de33e46245e05fbdbd6fb24"],
    ["abc", "a448017aaf21d8525fc10ae87aa6729d"],
    ["message digest", "d9130a8164549fe818874806e1c7014b"],
    ["abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"],
    [
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "e33b4ddc9c38f2199c3e7b164fcc0536",
    ],
  ])("MD4(%j)", (input, expected) => {
    expect(md4(Buffer.from(input, "latin1")).toString("hex")).toBe(expected);
  });
});

describe("RC4 (published test vectors)", () => {
  it.each([
    ["Key", "Plaintext", "bbf316e8d940af0ad3"],
    ["Wiki", "pedia", "1021bf0420"],
    ["Secret", "Attack at dawn", "45a01f645fc35b383552544b9bf5"],
  ])("RC4(%s, %s)", (key, plain, expected) => {
    expect(rc4k(Buffer.from(key), Buffer.from(plain)).toString("hex")).toBe(expected);
  });

  it("keeps one keystream across calls", () => {
    const whole = rc4k(Buffer.from("Secret"), Buffer.from("Attack at dawn"));
    const rc4 = new Rc4(Buffer.from("Secret"));
    expect(Buffer.concat([rc4.update(Buffer.from("Attack")), rc4.update(Buffer.from(" at dawn"))])).toEqual(whole);
  });
});

describe("NTLMv2 (MS-NLMP §4.2.4)", () => {
  const serverChallenge = hex("0123456789abcdef");
  const clientChallenge = Buffer.alloc(8, 0xaa);
  const randomSessionKey = Buffer.alloc(16, 0x55);
  const time = Buffer.alloc(8);
  const targetInfo = hex("02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000");
  const responseKeyNt = ntowfv2("User", "Domain", ntowfv1("Password"));

  it("NTOWFv1 and NTOWFv2", () => {
    expect(ntowfv1("Password").toString("hex")).toBe("a4f49c406510bdcab6824ee7c30fd852");
    expect(responseKeyNt.toString("hex")).toBe("0c868a403bfd7a93a3001ef22ef02e3f");
  });

  it("responses, session base key and the encrypted random session key", () => {
    const v2 = computeResponseV2({ responseKeyNt, serverChallenge, clientChallenge, time, targetInfo });
    expect(v2.ntProofStr.toString("hex")).toBe("68cd0ab851e51c96aabc927bebef6a1c");
    expect(v2.ntChallengeResponse.subarray(16)).toEqual(
      Buffer.concat([hex("0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000"), targetInfo, Buffer.alloc(4)]),
    );
    expect(v2.lmChallengeResponse.toString("hex")).toBe("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
    expect(v2.sessionBaseKey.toString("hex")).toBe("8de40ccadbc14a82f15cb0ad0de95ca3");
    expect(rc4k(v2.sessionBaseKey, randomSessionKey).toString("hex")).toBe("c5dad2544fc9799094ce1ce90bc9d03e");
  });

  it("signing and sealing keys", () => {
    const k = sessionKeys(randomSessionKey);
    expect(k.clientSign.toString("hex")).toBe("4788dc861b4782f35d43fd98fe1a2d39");
    expect(k.serverSign.toString("hex")).toBe("d04d6f10741041d1d246d64188d7a8ad");
    expect(k.clientSeal.toString("hex")).toBe("59f600973cc4960a25480a7c196e4c58");
    expect(k.serverSeal.toString("hex")).toBe("9355f3a957c1583d25c4c2f11e40390e");
  });

  it("sealing UTF-16 'Plaintext' (§4.2.4.4)", () => {
    const { sealed, signature } = new NtlmSession(randomSessionKey, "client").seal(Buffer.from("Plaintext", "utf16le"));
    expect(sealed.toString("hex")).toBe("54e50165bf1936dc996020c1811b0f06fb5f");
    expect(signature.toString("hex")).toBe("010000007fb38ec5c55d497600000000");
  });

  it("the server unseals what the client sealed, in both directions and in order, and refuses a tampered message", () => {
    const client = new NtlmSession(randomSessionKey, "client");
    const server = new NtlmSession(randomSessionKey, "server");
    for (const text of ["one", "two", "three"]) {
      const up = client.seal(Buffer.from(text));
      expect(server.unseal(up.sealed, up.signature).toString()).toBe(text);
      const down = server.seal(Buffer.from(`re: ${text}`));
      expect(client.unseal(down.sealed, down.signature).toString()).toBe(`re: ${text}`);
    }
    const bad = client.seal(Buffer.from("four"));
    bad.sealed[0] = (bad.sealed[0] ?? 0) ^ 1;
    expect(() => server.unseal(bad.sealed, bad.signature)).toThrow(NtlmIntegrityError);
  });

  it("an AUTHENTICATE built for the §4.2.4 challenge carries the expected responses and a MIC", () => {
    const client = new NtlmClient({ testing: { clientChallenge, exportedSessionKey: randomSessionKey, time } });
    client.negotiateMessage();
    const challenge = encodeChallenge({ flags: CLIENT_FLAGS, serverChallenge, targetName: "Server", targetInfo });
    const { message } = client.authenticateMessage(challenge, { domain: "Domain", user: "User", password: "Password" });
    const auth = parseAuthenticate(message);
    expect(auth.user).toBe("User");
    expect(auth.domain).toBe("Domain");
    expect(auth.encryptedRandomSessionKey).not.toEqual(Buffer.alloc(16));
    expect(auth.mic).toHaveLength(16);
    expect(auth.mic).not.toEqual(Buffer.alloc(16));
    // No timestamp in the challenge: LMv2 is sent (§4.2.4 value, since it does not depend on the target info).
    expect(auth.lmChallengeResponse.toString("hex")).toBe("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
    const pairs = parseAvPairs(auth.ntChallengeResponse.subarray(44, auth.ntChallengeResponse.length - 4));
    expect(pairs.map((p) => p.id)).toEqual([2, 1, 6, 10]);
    expect(encodeAvPairs(pairs.slice(0, 2))).toEqual(targetInfo);
  });
});

describe("channel bindings", () => {
  it("hash the gss_channel_bindings_struct with only application data", () => {
    // Independent construction: five little-endian u32s (four zeros, then the length) followed by the data.
    const data = Buffer.from("tls-server-end-point:abc");
    const expected = hex("00000000 00000000 00000000 00000000 18000000");
    expect(channelBindingsHash(data)).toEqual(
      createHash("md5")
        .update(Buffer.concat([expected, data]))
        .digest(),
    );
  });

  it("file times count 100 ns ticks since 1601", () => {
    expect(fileTime(0).readBigUInt64LE()).toBe(116_444_736_000_000_000n);
  });
});
