/** NTLMv2 computations (MS-NLMP 3.3.2) and the session-security keys (3.4.5). */
import { createHash, createHmac } from "node:crypto";
import { md4 } from "./md4.ts";

export function hmacMd5(key: Uint8Array, ...data: Uint8Array[]): Buffer {
  const h = createHmac("md5", key);
  for (const d of data) h.update(d);
  return h.digest();
}

export function md5(...data: Uint8Array[]): Buffer {
  const h = createHash("md5");
  for (const d of data) h.update(d);
  return h.digest();
}

/** NTOWFv1: MD4 of the UTF-16LE password (the "NT hash"). */
export function ntowfv1(password: string): Buffer {
  return md4(Buffer.from(password, "utf16le"));
}

/** NTOWFv2 = HMAC_MD5(NT hash, UTF16(UPPER(user) + domain)). */
export function ntowfv2(user: string, domain: string, ntHash: Buffer): Buffer {
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, "utf16le"));
}

export type V2Response = {
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  ntProofStr: Buffer;
  sessionBaseKey: Buffer;
};

/**
 * The NTLMv2 responses. `targetInfo` is the AV pairs block as the client sends it (EOL included);
 * `time` is a FILETIME (8 bytes LE). The LM response is zeros when the server sent a timestamp (`zeroLm`).
 */
export function computeResponseV2(args: {
  responseKeyNt: Buffer;
  serverChallenge: Buffer;
  clientChallenge: Buffer;
  time: Buffer;
  targetInfo: Buffer;
  zeroLm?: boolean;
}): V2Response {
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    args.time,
    args.clientChallenge,
    Buffer.alloc(4),
    args.targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(args.responseKeyNt, args.serverChallenge, temp);
  const lmChallengeResponse = args.zeroLm
    ? Buffer.alloc(24)
    : Buffer.concat([hmacMd5(args.responseKeyNt, args.serverChallenge, args.clientChallenge), args.clientChallenge]);
  return {
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse,
    ntProofStr,
    sessionBaseKey: hmacMd5(args.responseKeyNt, ntProofStr),
  };
}

const MAGIC = {
  clientSign: "session key to client-to-server signing key magic constant\0",
  serverSign: "session key to server-to-client signing key magic constant\0",
  clientSeal: "session key to client-to-server sealing key magic constant\0",
  serverSeal: "session key to server-to-client sealing key magic constant\0",
};

/** Signing and sealing keys with extended session security and 128-bit keys (the only mode offered here). */
export function sessionKeys(exportedSessionKey: Buffer) {
  const derive = (magic: string) => md5(exportedSessionKey, Buffer.from(magic, "latin1"));
  return {
    clientSign: derive(MAGIC.clientSign),
    serverSign: derive(MAGIC.serverSign),
    clientSeal: derive(MAGIC.clientSeal),
    serverSeal: derive(MAGIC.serverSeal),
  };
}

/** A FILETIME (100 ns ticks since 1601-01-01) for a JS time in ms. */
export function fileTime(ms: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE((BigInt(Math.trunc(ms)) + 11_644_473_600_000n) * 10_000n);
  return out;
}
