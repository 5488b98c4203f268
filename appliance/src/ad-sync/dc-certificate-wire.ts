/**
 * A DC certificate as Central Command's contracts carry it (fingerprint, names, expiry), and the words that
 * say why a DC's certificate could not be read. Fingerprints are not secrets; nothing else of the certificate
 * (and never a key) is sent.
 */
import type { DcCertificate, DomainController as WireDomainController } from "../../../server/contracts";
import { DirectoryError } from "../directory/directory-error";
import type { DomainController } from "../directory/discovery/discover-domain";
import type { DcCertificateReport } from "../directory/ldap/read-dc-certificate";

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function wireCertificate(c: {
  sha256: string;
  subject: string;
  issuer: string;
  validTo: string;
}): DcCertificate {
  const notAfter = new Date(c.validTo);
  return {
    sha256: c.sha256,
    subject: clip(c.subject, 2048),
    issuer: clip(c.issuer, 2048),
    not_after: Number.isNaN(notAfter.getTime()) ? null : notAfter.toISOString(),
  };
}

/** A discovered DC with what discovery learnt of its certificate: the certificate, or why there is none. */
export function withCertificate(
  dc: DomainController,
  read: DcCertificateReport | DirectoryError | undefined,
): WireDomainController {
  const base = { hostname: dc.hostname, port: dc.port, priority: dc.priority, weight: dc.weight };
  if (read instanceof DirectoryError) return { ...base, certificate_problem: clip(read.message, 1000) };
  if (read) return { ...base, certificate: wireCertificate(read) };
  return base;
}
