/** The three NTLM login messages (MS-NLMP 2.2.1): encoding and parsing for both sides. */
import { hasFlag, NtlmFlag } from "./flags.ts";

const SIGNATURE = Buffer.from("NTLMSSP\0", "latin1");
/** Windows 10 / Server 2019 (10.0.17763), NTLMSSP revision 15. */
export const VERSION = Buffer.from([10, 0, 0x63, 0x45, 0, 0, 0, 15]);
/** Where the MIC sits in an AUTHENTICATE message that carries a version. */
export const MIC_OFFSET = 72;

export type Negotiate = { flags: number };
export type Challenge = {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  targetInfo: Buffer;
};
export type Authenticate = {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
  mic: Buffer;
};

export class NtlmMessageError extends Error {}

function header(type: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  SIGNATURE.copy(out, 0);
  out.writeUInt32LE(type, 8);
  return out;
}

/** Lays out payload fields after a fixed header, writing each one's (len, maxlen, offset) at its field offset. */
function withPayload(head: Buffer, fields: Array<{ at: number; data: Buffer }>): Buffer {
  let offset = head.length;
  for (const { at, data } of fields) {
    head.writeUInt16LE(data.length, at);
    head.writeUInt16LE(data.length, at + 2);
    head.writeUInt32LE(offset, at + 4);
    offset += data.length;
  }
  return Buffer.concat([head, ...fields.map((f) => f.data)]);
}

function readField(msg: Buffer, at: number): Buffer {
  if (msg.length < at + 8) throw new NtlmMessageError("NTLM message is truncated");
  const length = msg.readUInt16LE(at);
  const offset = msg.readUInt32LE(at + 4);
  if (length === 0) return Buffer.alloc(0);
  if (offset + length > msg.length) throw new NtlmMessageError("NTLM message field points outside the message");
  return msg.subarray(offset, offset + length);
}

function expectType(msg: Buffer, type: number): void {
  if (msg.length < 12 || !msg.subarray(0, 8).equals(SIGNATURE) || msg.readUInt32LE(8) !== type) {
    throw new NtlmMessageError(`not an NTLM type ${type} message`);
  }
}

function text(data: Buffer, flags: number): string {
  return hasFlag(flags, NtlmFlag.UNICODE) ? data.toString("utf16le") : data.toString("latin1");
}

export function encodeNegotiate(flags: number): Buffer {
  const out = header(1, 40);
  out.writeUInt32LE(flags >>> 0, 12);
  // Domain and workstation fields stay empty; their offsets point past the header.
  out.writeUInt32LE(40, 20);
  out.writeUInt32LE(40, 28);
  VERSION.copy(out, 32);
  return out;
}

export function parseNegotiate(msg: Buffer): Negotiate {
  expectType(msg, 1);
  if (msg.length < 16) throw new NtlmMessageError("NTLM NEGOTIATE is truncated");
  return { flags: msg.readUInt32LE(12) };
}

export function encodeChallenge(c: Challenge): Buffer {
  const head = header(2, 56);
  head.writeUInt32LE(c.flags >>> 0, 20);
  c.serverChallenge.copy(head, 24);
  VERSION.copy(head, 48);
  return withPayload(head, [
    { at: 12, data: Buffer.from(c.targetName, "utf16le") },
    { at: 40, data: c.targetInfo },
  ]);
}

export function parseChallenge(msg: Buffer): Challenge {
  expectType(msg, 2);
  if (msg.length < 48) throw new NtlmMessageError("NTLM CHALLENGE is truncated");
  const flags = msg.readUInt32LE(20);
  return {
    flags,
    serverChallenge: Buffer.from(msg.subarray(24, 32)),
    targetName: text(readField(msg, 12), flags),
    targetInfo: Buffer.from(readField(msg, 40)),
  };
}

/** Encodes AUTHENTICATE with a version and a MIC slot (zeros until the caller fills it in at MIC_OFFSET). */
export function encodeAuthenticate(a: Omit<Authenticate, "mic">): Buffer {
  const head = header(3, 88);
  head.writeUInt32LE(a.flags >>> 0, 60);
  VERSION.copy(head, 64);
  return withPayload(head, [
    { at: 28, data: Buffer.from(a.domain, "utf16le") },
    { at: 36, data: Buffer.from(a.user, "utf16le") },
    { at: 44, data: Buffer.from(a.workstation, "utf16le") },
    { at: 12, data: a.lmChallengeResponse },
    { at: 20, data: a.ntChallengeResponse },
    { at: 52, data: a.encryptedRandomSessionKey },
  ]);
}

export function parseAuthenticate(msg: Buffer): Authenticate {
  expectType(msg, 3);
  if (msg.length < 64) throw new NtlmMessageError("NTLM AUTHENTICATE is truncated");
  const flags = msg.readUInt32LE(60);
  // The payload starts at the lowest field offset; a MIC exists when the header reaches past it.
  const payloadStart = Math.min(
    ...[12, 20, 28, 36, 44, 52].filter((at) => msg.readUInt16LE(at) > 0).map((at) => msg.readUInt32LE(at + 4)),
    msg.length,
  );
  const hasMic = payloadStart >= MIC_OFFSET + 16;
  return {
    flags,
    lmChallengeResponse: Buffer.from(readField(msg, 12)),
    ntChallengeResponse: Buffer.from(readField(msg, 20)),
    domain: text(readField(msg, 28), flags),
    user: text(readField(msg, 36), flags),
    workstation: text(readField(msg, 44), flags),
    encryptedRandomSessionKey: Buffer.from(readField(msg, 52)),
    mic: hasMic ? Buffer.from(msg.subarray(MIC_OFFSET, MIC_OFFSET + 16)) : Buffer.alloc(0),
  };
}
