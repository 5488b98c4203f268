/**
 * The client side of an NTLMv2 login (MS-NLMP 3.1.5): NEGOTIATE, then AUTHENTICATE for the server's CHALLENGE,
 * with a MIC, key exchange and (over TLS) channel bindings. The result carries the session security for the
 * messages that follow. The password is used only inside `authenticate` and never kept.
 */
import { randomBytes } from "node:crypto";
import { AV_FLAG_MIC_PRESENT, AvId, type AvPair, encodeAvPairs, findAv, parseAvPairs, utf16 } from "./av-pairs.ts";
import { channelBindingsHash } from "./channel-bindings.ts";
import { computeResponseV2, fileTime, hmacMd5, ntowfv1, ntowfv2 } from "./crypto.ts";
import { CLIENT_FLAGS, hasFlag, NtlmFlag, REQUIRED_FLAGS } from "./flags.ts";
import { encodeAuthenticate, encodeNegotiate, MIC_OFFSET, parseChallenge } from "./messages.ts";
import { rc4k } from "./rc4.ts";
import { NtlmSession } from "./session-security.ts";

export type NtlmCredentials = { domain: string; user: string; password: string };

/** Splits "DOMAIN\\user" or "user@domain"; a bare name has an empty domain (the server's own accounts). */
export function splitUsername(username: string): { domain: string; user: string } {
  const slash = username.indexOf("\\");
  if (slash >= 0) return { domain: username.slice(0, slash), user: username.slice(slash + 1) };
  // user@REALM is passed as-is with an empty domain, as Windows clients do (the DC resolves the UPN).
  return { domain: "", user: username };
}

export class NtlmProtocolError extends Error {}

export type NtlmClientOptions = {
  /** tls-server-end-point application data (see channel-bindings.ts); absent over plain HTTP. */
  channelBindings?: Buffer;
  /** The SPN the client believes it talks to, e.g. "HTTP/server.example"; sent as MsvAvTargetName. */
  targetName?: string;
  workstation?: string;
  /** Fixed values for known-answer tests only. */
  testing?: { clientChallenge?: Buffer; exportedSessionKey?: Buffer; time?: Buffer };
};

export class NtlmClient {
  private negotiate: Buffer | null = null;

  constructor(private readonly options: NtlmClientOptions = {}) {}

  negotiateMessage(): Buffer {
    this.negotiate = encodeNegotiate(CLIENT_FLAGS);
    return this.negotiate;
  }

  authenticateMessage(
    challengeMessage: Buffer,
    credentials: NtlmCredentials,
    /** Known only once connected (the server's certificate), so it may be given here instead of in the options. */
    channelBindings: Buffer | undefined = this.options.channelBindings,
  ): { message: Buffer; session: NtlmSession; flags: number } {
    if (!this.negotiate) throw new NtlmProtocolError("NEGOTIATE was not sent");
    const challenge = parseChallenge(challengeMessage);
    const flags = (challenge.flags & CLIENT_FLAGS) >>> 0;
    if (!hasFlag(flags, REQUIRED_FLAGS)) {
      throw new NtlmProtocolError("the server did not agree to NTLMv2 with 128-bit signing and sealing");
    }
    if (challenge.targetInfo.length === 0) throw new NtlmProtocolError("the server sent no target info (NTLMv2)");

    const serverPairs = parseAvPairs(challenge.targetInfo);
    const serverTime = findAv(serverPairs, AvId.Timestamp);
    const t = this.options.testing ?? {};
    const time = t.time ?? serverTime ?? fileTime(Date.now());
    const clientPairs: AvPair[] = [
      ...serverPairs.filter((p) => p.id !== AvId.Flags),
      { id: AvId.Flags, value: u32(AV_FLAG_MIC_PRESENT) },
      { id: AvId.ChannelBindings, value: channelBindings ? channelBindingsHash(channelBindings) : Buffer.alloc(16) },
      ...(this.options.targetName ? [{ id: AvId.TargetName, value: utf16(this.options.targetName) }] : []),
    ];

    const responseKeyNt = ntowfv2(credentials.user, credentials.domain, ntowfv1(credentials.password));
    const v2 = computeResponseV2({
      responseKeyNt,
      serverChallenge: challenge.serverChallenge,
      clientChallenge: t.clientChallenge ?? randomBytes(8),
      time,
      targetInfo: encodeAvPairs(clientPairs),
      zeroLm: serverTime !== undefined,
    });
    const keyExchange = hasFlag(flags, NtlmFlag.KEY_EXCH);
    const exportedSessionKey = keyExchange ? (t.exportedSessionKey ?? randomBytes(16)) : v2.sessionBaseKey;
    const message = encodeAuthenticate({
      flags,
      lmChallengeResponse: v2.lmChallengeResponse,
      ntChallengeResponse: v2.ntChallengeResponse,
      domain: credentials.domain,
      user: credentials.user,
      workstation: this.options.workstation ?? "",
      encryptedRandomSessionKey: keyExchange ? rc4k(v2.sessionBaseKey, exportedSessionKey) : Buffer.alloc(0),
    });
    hmacMd5(exportedSessionKey, this.negotiate, challengeMessage, message).copy(message, MIC_OFFSET);
    return { message, session: new NtlmSession(exportedSessionKey, "client", keyExchange), flags };
  }
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}
