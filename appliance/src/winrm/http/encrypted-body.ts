/**
 * The `multipart/encrypted` body of WinRM over HTTP with NTLM session security (MS-WSMV 2.2.9.1.1), byte for byte
 * what Windows and pywinrm write: a part naming the original content and its length, then an octet-stream part
 * holding a u32le signature length, the 16-byte signature and the sealed message. Used by both the client and the
 * test double (the double seals replies the same way).
 */
import { SIGNATURE_LENGTH } from "../ntlm/session-security.ts";

export const ENCRYPTED_PROTOCOL = "application/HTTP-SPNEGO-session-encrypted";
export const ENCRYPTED_CONTENT_TYPE = `multipart/encrypted;protocol="${ENCRYPTED_PROTOCOL}";boundary="Encrypted Boundary"`;
export const SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8";
const BOUNDARY = "--Encrypted Boundary";

export class EncryptedBodyError extends Error {}

type Sealer = { seal(message: Buffer): { sealed: Buffer; signature: Buffer } };
type Unsealer = { unseal(sealed: Buffer, signature: Buffer): Buffer };

export function isEncryptedContentType(contentType: string | undefined): boolean {
  return (
    !!contentType &&
    /^multipart\/encrypted\s*;/i.test(contentType) &&
    contentType.toLowerCase().includes(`protocol="${ENCRYPTED_PROTOCOL.toLowerCase()}"`)
  );
}

export function encodeEncryptedBody(session: Sealer, message: Buffer): Buffer {
  const { sealed, signature } = session.seal(message);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(signature.length);
  return Buffer.concat([
    Buffer.from(
      `${BOUNDARY}\r\n\tContent-Type: ${ENCRYPTED_PROTOCOL}\r\n` +
        `\tOriginalContent: type=${SOAP_CONTENT_TYPE};Length=${message.length}\r\n` +
        `${BOUNDARY}\r\n\tContent-Type: application/octet-stream\r\n`,
      "latin1",
    ),
    length,
    signature,
    sealed,
    Buffer.from(`${BOUNDARY}--\r\n`, "latin1"),
  ]);
}

/**
 * Reads the parts by their structure (the sealed bytes are binary and may contain anything), unseals and checks
 * the length the sender declared. Throws EncryptedBodyError on a malformed body, NtlmIntegrityError on a bad
 * signature.
 */
export function decodeEncryptedBody(session: Unsealer, body: Buffer): Buffer {
  const messages: Buffer[] = [];
  let pos = 0;
  const octetHeader = Buffer.from("Content-Type: application/octet-stream\r\n", "latin1");
  for (;;) {
    const start = body.indexOf(BOUNDARY, pos, "latin1");
    if (start < 0) break;
    if (body.subarray(start, start + BOUNDARY.length + 2).toString("latin1") === `${BOUNDARY}--`) break;
    const headerEnd = body.indexOf(BOUNDARY, start + BOUNDARY.length, "latin1");
    if (headerEnd < 0) throw new EncryptedBodyError("encrypted body: a part is missing");
    const header = body.subarray(start, headerEnd).toString("latin1");
    const declared = /OriginalContent:\s*type=[^\r\n]*?;\s*Length=(\d+)/i.exec(header)?.[1];
    if (!declared || !header.toLowerCase().includes(ENCRYPTED_PROTOCOL.toLowerCase())) {
      throw new EncryptedBodyError("encrypted body: the first part does not describe the original content");
    }
    const octet = body.indexOf(octetHeader, headerEnd, "latin1");
    if (octet < 0) throw new EncryptedBodyError("encrypted body: no octet-stream part");
    const dataStart = octet + octetHeader.length;
    if (dataStart + 4 > body.length) throw new EncryptedBodyError("encrypted body: truncated");
    const sigLength = body.readUInt32LE(dataStart);
    if (sigLength !== SIGNATURE_LENGTH) throw new EncryptedBodyError("encrypted body: unexpected signature length");
    const length = Number(declared);
    const sealedStart = dataStart + 4 + sigLength;
    if (sealedStart + length > body.length) throw new EncryptedBodyError("encrypted body: shorter than declared");
    const signature = body.subarray(dataStart + 4, sealedStart);
    messages.push(session.unseal(body.subarray(sealedStart, sealedStart + length), signature));
    pos = sealedStart + length;
  }
  if (messages.length === 0) throw new EncryptedBodyError("encrypted body: no encrypted part");
  return Buffer.concat(messages);
}
