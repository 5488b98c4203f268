/**
 * The server side of an NTLMv2 login, for the WinRM test double: issues a CHALLENGE like a Windows member server
 * and checks an AUTHENTICATE against a table of accounts (NTProofStr, MIC, channel bindings when the client
 * sent some). Built on the appliance's NTLM library, and proven separately against gss-ntlmssp as a client.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  AV_FLAG_MIC_PRESENT,
  AvId,
  encodeAvPairs,
  findAv,
  parseAvPairs,
  utf16,
} from "@/appliance/src/winrm/ntlm/av-pairs.ts";
import { channelBindingsHash } from "@/appliance/src/winrm/ntlm/channel-bindings.ts";
import { fileTime, hmacMd5, ntowfv1, ntowfv2 } from "@/appliance/src/winrm/ntlm/crypto.ts";
import { hasFlag, NtlmFlag } from "@/appliance/src/winrm/ntlm/flags.ts";
import { encodeChallenge, MIC_OFFSET, parseAuthenticate, parseNegotiate } from "@/appliance/src/winrm/ntlm/messages.ts";
import { rc4k } from "@/appliance/src/winrm/ntlm/rc4.ts";
import { NtlmSession } from "@/appliance/src/winrm/ntlm/session-security.ts";

export type NtlmAccount = { domain: string; user: string; password: string };

const SERVER_FLAGS =
  (NtlmFlag.UNICODE |
    NtlmFlag.REQUEST_TARGET |
    NtlmFlag.SIGN |
    NtlmFlag.SEAL |
    NtlmFlag.NTLM |
    NtlmFlag.ALWAYS_SIGN |
    NtlmFlag.TARGET_TYPE_DOMAIN |
    NtlmFlag.EXTENDED_SESSION_SECURITY |
    NtlmFlag.TARGET_INFO |
    NtlmFlag.VERSION |
    NtlmFlag.KEY_128 |
    NtlmFlag.KEY_EXCH |
    NtlmFlag.KEY_56) >>>
  0;

export type NtlmLoginResult =
  | { ok: true; account: NtlmAccount; session: NtlmSession; channelBound: boolean }
  | { ok: false; reason: "unknown_user" | "wrong_password" | "bad_mic" | "bad_channel_bindings" | "protocol" };

export class NtlmServerLogin {
  private negotiate: Buffer | null = null;
  private challenge: Buffer | null = null;
  private serverChallenge = randomBytes(8);

  constructor(
    private readonly host: { netbiosDomain: string; netbiosName: string; dnsDomain: string },
    private readonly lookup: (domain: string, user: string) => NtlmAccount | undefined,
    /** tls-server-end-point data of our certificate over HTTPS; undefined over HTTP. */
    private readonly channelBindings?: Buffer,
  ) {}

  challengeFor(negotiateMessage: Buffer): Buffer {
    const { flags } = parseNegotiate(negotiateMessage);
    this.negotiate = negotiateMessage;
    const targetInfo = encodeAvPairs([
      { id: AvId.NbDomainName, value: utf16(this.host.netbiosDomain) },
      { id: AvId.NbComputerName, value: utf16(this.host.netbiosName) },
      { id: AvId.DnsDomainName, value: utf16(this.host.dnsDomain) },
      { id: AvId.DnsComputerName, value: utf16(`${this.host.netbiosName.toLowerCase()}.${this.host.dnsDomain}`) },
      { id: AvId.Timestamp, value: fileTime(Date.now()) },
    ]);
    this.challenge = encodeChallenge({
      flags: ((flags & SERVER_FLAGS) | NtlmFlag.TARGET_INFO | NtlmFlag.TARGET_TYPE_DOMAIN) >>> 0,
      serverChallenge: this.serverChallenge,
      targetName: this.host.netbiosDomain,
      targetInfo,
    });
    return this.challenge;
  }

  verify(authenticateMessage: Buffer): NtlmLoginResult {
    if (!this.negotiate || !this.challenge) return { ok: false, reason: "protocol" };
    let auth: ReturnType<typeof parseAuthenticate>;
    try {
      auth = parseAuthenticate(authenticateMessage);
    } catch {
      return { ok: false, reason: "protocol" };
    }
    const account = this.lookup(auth.domain, auth.user);
    if (!account) return { ok: false, reason: "unknown_user" };
    const nt = auth.ntChallengeResponse;
    if (nt.length < 48) return { ok: false, reason: "protocol" };
    const proof = nt.subarray(0, 16);
    const temp = nt.subarray(16);
    const responseKey = ntowfv2(auth.user, auth.domain, ntowfv1(account.password));
    if (!timingSafeEqual(hmacMd5(responseKey, this.serverChallenge, temp), proof)) {
      return { ok: false, reason: "wrong_password" };
    }
    const sessionBaseKey = hmacMd5(responseKey, proof);
    const keyExchange = hasFlag(auth.flags, NtlmFlag.KEY_EXCH);
    const exportedSessionKey = keyExchange ? rc4k(sessionBaseKey, auth.encryptedRandomSessionKey) : sessionBaseKey;

    let pairs: ReturnType<typeof parseAvPairs>;
    try {
      pairs = parseAvPairs(temp.subarray(28));
    } catch {
      return { ok: false, reason: "protocol" };
    }
    const avFlags = findAv(pairs, AvId.Flags)?.readUInt32LE(0) ?? 0;
    if (avFlags & AV_FLAG_MIC_PRESENT) {
      const zeroed = Buffer.from(authenticateMessage);
      zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
      const mic = hmacMd5(exportedSessionKey, this.negotiate, this.challenge, zeroed);
      if (auth.mic.length !== 16 || !timingSafeEqual(mic, auth.mic)) return { ok: false, reason: "bad_mic" };
    }
    // Windows' default "Relaxed" hardening: bindings are checked when the client sent any (non-zero).
    const sent = findAv(pairs, AvId.ChannelBindings);
    const channelBound = !!sent && !sent.equals(Buffer.alloc(16));
    if (channelBound) {
      const expected = this.channelBindings ? channelBindingsHash(this.channelBindings) : Buffer.alloc(16);
      if (!sent.equals(expected)) return { ok: false, reason: "bad_channel_bindings" };
    }
    return { ok: true, account, session: new NtlmSession(exportedSessionKey, "server", keyExchange), channelBound };
  }
}
