/**
 * The certificate a domain controller presents, read from the TLS handshake, including when Node rejects it.
 *
 * Node rejects an untrusted certificate by destroying the socket with the verification error; at that moment the
 * handshake is complete and the peer certificate still readable. capturePresentedCertificate() records it then,
 * so a rejected connection (rejectUnauthorized stays true: nothing is ever sent over it) still tells us which
 * certificate the DC presented: its fingerprint is what trust-on-first-use pins, and what a "certificate changed"
 * error names.
 */
import { X509Certificate } from "node:crypto";
import type { PeerCertificate, TLSSocket } from "node:tls";

export interface PresentedCertificate {
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by colons (as Windows and openssl show it). */
  sha256: string;
  pem: string;
  subject: string;
  issuer: string;
  validTo: string;
}

export function fromPeerCertificate(cert: PeerCertificate): PresentedCertificate | null {
  if (!cert?.raw || cert.raw.length === 0) return null;
  const x509 = new X509Certificate(cert.raw);
  return {
    sha256: x509.fingerprint256,
    pem: x509.toString(),
    subject: x509.subject.replace(/\n/g, ", "),
    issuer: x509.issuer.replace(/\n/g, ", "),
    validTo: x509.validTo,
  };
}

/** Normalises a fingerprint a person typed or pasted (any case, with or without colons or spaces). */
export function normalizeFingerprint(value: string): string {
  const hex = value.replace(/[^0-9a-f]/gi, "").toUpperCase();
  return hex.match(/.{2}/g)?.join(":") ?? "";
}

/** Sets `holder.certificate` to the peer certificate as soon as the handshake completes, accepted or rejected. */
export function capturePresentedCertificate(socket: TLSSocket, holder: { certificate?: PresentedCertificate }): void {
  const record = () => {
    if (holder.certificate) return;
    try {
      const presented = fromPeerCertificate(socket.getPeerCertificate(false));
      if (presented) holder.certificate = presented;
    } catch {
      // no handshake yet: nothing was presented
    }
  };
  socket.once("secureConnect", record);
  const destroy = socket.destroy.bind(socket);
  socket.destroy = (error?: Error) => {
    record();
    return destroy(error);
  };
}
