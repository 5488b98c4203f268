/**
 * Trusting a domain controller's certificate. A DC's certificate usually comes from an enterprise CA nobody
 * told the appliance about: either the partner supplies that CA (ca_pem) with the domain credential, or the
 * DC's own certificate is pinned by its SHA-256 fingerprint. The appliance reports what each DC presents
 * (discovery, enumeration, and a failed enumeration when the certificate changed); Central Command keeps one
 * row per site, domain, DC and fingerprint, `trusted` or `pending`, and hands the trusted fingerprints back with
 * the domain credential so that the appliance's pins follow the partner's decisions.
 */
import { z } from "zod";
import { Hostname } from "./provisioning";

/** Upper-case hex pairs joined by colons, as Windows and openssl show it; accepts any case, colons or spaces. */
export function normalizeSha256(value: string): string {
  const hex = value.replace(/[\s:]/g, "").toUpperCase();
  return hex.match(/.{2}/g)?.join(":") ?? "";
}

export const Sha256Fingerprint = z
  .string()
  .max(200)
  .transform(normalizeSha256)
  .refine((v) => /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/.test(v), "must be a SHA-256 fingerprint (64 hex digits, AA:BB:…)");

/** A certificate as a DC presented it. `not_after`: ISO 8601, null when the appliance could not read it. */
export const DcCertificate = z.object({
  sha256: Sha256Fingerprint,
  subject: z.string().max(2048),
  issuer: z.string().max(2048),
  not_after: z.string().datetime({ offset: true }).nullable().optional(),
});
export type DcCertificate = z.input<typeof DcCertificate>;

/** In enumeration-results: the certificate of the DC the run read, and how the appliance trusted it. */
export const EnumeratedDcCertificate = DcCertificate.extend({
  hostname: Hostname,
  /** ca: chains to the partner's CA; pin: matched a pinned fingerprint; first-use: pinned now. */
  trusted_by: z.enum(["ca", "pin", "first-use"]),
});
export type EnumeratedDcCertificate = z.input<typeof EnumeratedDcCertificate>;

/** In enumeration-failed with code certificate_changed: the DC's new certificate and the pinned fingerprint. */
export const ChangedDcCertificate = DcCertificate.extend({
  hostname: Hostname,
  previous_sha256: Sha256Fingerprint.optional(),
});
export type ChangedDcCertificate = z.input<typeof ChangedDcCertificate>;

/** In the domain credential release: the fingerprints the partner trusts, per DC (the appliance pins them). */
export const TrustedDcCertificate = z.object({ hostname: z.string(), sha256: z.string() });
export type TrustedDcCertificate = z.infer<typeof TrustedDcCertificate>;

/**
 * POST /api/partners/me/sites/{site_id}/domain-controllers/accept-certificate (partner admin: session or
 * full-scope token): trust the certificate a DC now presents (a renewed certificate after certificate_changed).
 * 404 when the site has no such DC certificate; 409 when the DC has since presented yet another one.
 */
export const AcceptDcCertificateRequest = z.object({
  hostname: Hostname.transform((h) => h.toLowerCase()),
  fingerprint: Sha256Fingerprint,
});
export type AcceptDcCertificateRequest = z.input<typeof AcceptDcCertificateRequest>;

export const AcceptDcCertificateResponse = z.object({
  status: z.literal("accepted"),
  domain: z.string(),
  hostname: z.string(),
  fingerprint: z.string(),
  /** The previously trusted fingerprint of this DC, if any. */
  replaced: z.string().nullable(),
});
export type AcceptDcCertificateResponse = z.infer<typeof AcceptDcCertificateResponse>;

export const DcCertificateStatus = z.enum(["trusted", "pending"]);

export const DcCertificateWire = z.object({
  sha256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  not_after: z.string().datetime().nullable(),
  status: DcCertificateStatus,
  first_seen: z.string().datetime(),
  last_seen: z.string().datetime(),
  /** Who accepted it: a user's email, a token's label, or "first use (<appliance>)"; null while pending. */
  accepted_by: z.string().nullable(),
  accepted_at: z.string().datetime().nullable(),
});
export type DcCertificateWire = z.infer<typeof DcCertificateWire>;

export const DomainControllerWire = z.object({
  domain: z.string(),
  hostname: z.string(),
  /** The certificate the DC presented last (null: none read yet, see certificate_problem). */
  presented: DcCertificateWire.nullable(),
  /** The certificate the appliance is told to trust (null: none yet). */
  trusted: DcCertificateWire.nullable(),
  /** Why no certificate could be read at the latest discovery, e.g. the DC offers no TLS. */
  certificate_problem: z.string().nullable(),
});
export type DomainControllerWire = z.infer<typeof DomainControllerWire>;

/** GET /api/partners/me/sites/{site_id}/domain-controllers (any partner token). */
export const DomainControllerList = z.object({ domain_controllers: z.array(DomainControllerWire) });
export type DomainControllerList = z.infer<typeof DomainControllerList>;
