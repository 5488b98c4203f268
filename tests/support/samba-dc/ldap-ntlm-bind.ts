/**
 * An LDAP SASL bind with mechanism GSS-SPNEGO carrying raw NTLMSSP tokens (what Windows' ADSI sends, and what
 * Samba's SPNEGO server accepts by its NTLMSSP fallback): lets a test check an NTLM client's login against the
 * real Samba AD DC, whose accounts (Administrator) are real domain accounts. Minimal BER, one connection per bind.
 */
import { Socket } from "node:net";

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, value: Buffer) => Buffer.concat([Buffer.from([tag]), len(value.length), value]);
const int = (v: number) => tlv(0x02, Buffer.from([v]));
const str = (s: string | Buffer, tag = 0x04) => tlv(tag, Buffer.isBuffer(s) ? s : Buffer.from(s));

function bindRequest(messageId: number, token: Buffer): Buffer {
  const sasl = tlv(0xa3, Buffer.concat([str("GSS-SPNEGO"), str(token)]));
  const bind = tlv(0x60, Buffer.concat([int(3), str(""), sasl]));
  return tlv(0x30, Buffer.concat([int(messageId), bind]));
}

type Tlv = { tag: number; value: Buffer; end: number };
function readTlv(buf: Buffer, at: number): Tlv | null {
  if (at + 2 > buf.length) return null;
  const tag = buf[at] ?? 0;
  let length = buf[at + 1] ?? 0;
  let pos = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (pos + n > buf.length) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[pos + i] ?? 0);
    pos += n;
  }
  if (pos + length > buf.length) return null;
  return { tag, value: buf.subarray(pos, pos + length), end: pos + length };
}

export type BindResponse = { resultCode: number; diagnostic: string; serverSaslCreds: Buffer | null };

function parseBindResponse(message: Buffer): BindResponse {
  const outer = readTlv(message, 0);
  if (!outer) throw new Error("LDAP: truncated message");
  const id = readTlv(outer.value, 0);
  const op = id ? readTlv(outer.value, id.end) : null;
  if (op === null || op.tag !== 0x61) throw new Error("LDAP: not a BindResponse");
  const fields: Tlv[] = [];
  for (let at = 0; at < op.value.length; ) {
    const f = readTlv(op.value, at);
    if (!f) break;
    fields.push(f);
    at = f.end;
  }
  return {
    resultCode: fields[0]?.value[0] ?? -1,
    diagnostic: fields[2]?.value.toString("utf8") ?? "",
    serverSaslCreds: fields.find((f) => f.tag === 0x87)?.value ?? null,
  };
}

/** One LDAP connection; `bind(token)` sends a SASL bind step and returns the server's answer. */
export async function openLdap(host: string, port = 389) {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.connect(port, host, () => resolve());
  });
  let buffered = Buffer.alloc(0);
  let waiting: ((msg: Buffer) => void) | null = null;
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const whole = readTlv(buffered, 0);
    if (whole && waiting) {
      const msg = buffered.subarray(0, whole.end);
      buffered = buffered.subarray(whole.end);
      const w = waiting;
      waiting = null;
      w(msg);
    }
  });
  let messageId = 0;
  return {
    bind(token: Buffer): Promise<BindResponse> {
      messageId += 1;
      const reply = new Promise<Buffer>((resolve) => {
        waiting = resolve;
      });
      socket.write(bindRequest(messageId, token));
      return reply.then(parseBindResponse);
    },
    close() {
      socket.destroy();
    },
  };
}
