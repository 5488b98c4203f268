/**
 * Records a certificate a domain controller presented, as an appliance reported it (discovery, enumeration,
 * or an enumeration stopped by a changed certificate). One row per site, domain, DC and fingerprint: seeing it
 * again moves `last_seen` (the newest row of a DC is what it presents now), never adds a row. Times are the
 * server's (an appliance's clock does not decide which certificate is the newer). System side: the
 * site comes from the appliance's key, never from the body. Runs in the caller's transaction.
 */
import { randomUUID } from "node:crypto";
import type { DcCertificate } from "@/server/contracts";
import { Sha256Fingerprint } from "@/server/contracts";
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";

type Tx = Db | Prisma.TransactionClient;

export interface SeenCertificate {
  siteId: string;
  domain: string;
  hostname: string;
  certificate: DcCertificate;
}

/**
 * `trust`: "first-use" makes the certificate trusted when the DC has no trusted certificate yet (the appliance
 * pinned it, or verified it with the partner's CA); "none" leaves a new row pending. A certificate is never
 * moved from trusted back to pending here, and another DC's trusted certificate is never touched.
 */
export async function recordDcCertificate(
  tx: Tx,
  seen: SeenCertificate,
  trust: { kind: "none" } | { kind: "first-use"; by: string },
): Promise<{ id: string; status: "trusted" | "pending"; inserted: boolean }> {
  const hostname = seen.hostname.toLowerCase();
  const domain = seen.domain.toLowerCase();
  const sha256 = Sha256Fingerprint.parse(seen.certificate.sha256);
  const notAfter = seen.certificate.not_after ? new Date(seen.certificate.not_after) : null;
  const [row] = await tx.$queryRaw<Array<{ id: string; status: "trusted" | "pending"; inserted: boolean }>>`
    INSERT INTO domain_controller_certificates
      (id, site_id, domain, hostname, fingerprint, subject, issuer, not_after, status, first_seen, last_seen)
    VALUES (${randomUUID()}, ${seen.siteId}, ${domain}, ${hostname}, ${sha256}, ${seen.certificate.subject},
            ${seen.certificate.issuer}, ${notAfter}, 'pending', clock_timestamp(), clock_timestamp())
    ON CONFLICT (site_id, domain, hostname, fingerprint) DO UPDATE SET
      subject = excluded.subject,
      issuer = excluded.issuer,
      not_after = COALESCE(excluded.not_after, domain_controller_certificates.not_after),
      last_seen = GREATEST(domain_controller_certificates.last_seen, excluded.last_seen)
    RETURNING id, status::text AS status, (xmax = 0) AS inserted`;
  if (!row) throw new Error("certificate upsert returned nothing");
  if (trust.kind === "first-use" && row.status === "pending") {
    // Trusted only when no other certificate of this DC is: a different trusted one means a partner decision
    // the appliance has not applied yet, and this one waits for the partner.
    const updated = await tx.$executeRaw`
      UPDATE domain_controller_certificates SET status = 'trusted', accepted_by = ${trust.by}, accepted_at = now()
      WHERE id = ${row.id} AND NOT EXISTS (
        SELECT 1 FROM domain_controller_certificates o
        WHERE o.site_id = ${seen.siteId} AND o.domain = ${domain} AND o.hostname = ${hostname}
          AND o.status = 'trusted' AND o.id <> ${row.id})`;
    if (updated > 0) return { ...row, status: "trusted" };
  }
  return row;
}

/** The fingerprints a site trusts for a domain's DCs (what the appliance pins), by host name. */
export async function listTrustedDcCertificates(tx: Tx, siteId: string, domain: string) {
  const rows = await tx.domainControllerCertificate.findMany({
    where: { siteId, domain: domain.toLowerCase(), status: "trusted" },
    orderBy: [{ hostname: "asc" }, { lastSeen: "desc" }],
    select: { hostname: true, fingerprint: true },
  });
  return rows.map((r) => ({ hostname: r.hostname, sha256: r.fingerprint }));
}
