/**
 * Channel bindings for NTLM over TLS (RFC 5929 tls-server-end-point, MS-NLMP MsvAvChannelBindings): the MD5 of
 * a gss_channel_bindings_struct whose application data is "tls-server-end-point:" + hash of the server's
 * certificate. RFC 5929 picks the certificate's signature hash, SHA-256 for MD5/SHA-1 signed certificates;
 * SHA-384/512 are honoured when the certificate is signed with them.
 */
import { createHash } from "node:crypto";
import { md5 } from "./crypto.ts";

/** The hash RFC 5929 names for this certificate: sha384/sha512 when it is signed with them, else sha256. */
function signatureHash(certDer: Buffer): string {
  // Encoded OIDs of sha384WithRSAEncryption / ecdsa-with-SHA384 and sha512WithRSAEncryption / ecdsa-with-SHA512.
  const has = (hex: string) => certDer.includes(Buffer.from(hex, "hex"));
  if (has("06092a864886f70d01010c") || has("06082a8648ce3d040303")) return "sha384";
  if (has("06092a864886f70d01010d") || has("06082a8648ce3d040304")) return "sha512";
  return "sha256";
}

/** The application data of the bindings: "tls-server-end-point:" + hash(certificate). */
export function tlsServerEndPoint(certDer: Buffer): Buffer {
  const hash = createHash(signatureHash(certDer)).update(certDer).digest();
  return Buffer.concat([Buffer.from("tls-server-end-point:", "ascii"), hash]);
}

/** The 16-byte MsvAvChannelBindings value for the given application data. */
export function channelBindingsHash(applicationData: Buffer): Buffer {
  const head = Buffer.alloc(20); // initiator addrtype/length, acceptor addrtype/length: all zero
  head.writeUInt32LE(applicationData.length, 16);
  return md5(head, applicationData);
}
