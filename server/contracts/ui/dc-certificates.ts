/** The site's domain controllers and their certificates as the partner UI sees them (camelCase of ../dc-certificates.ts). */
import { z } from "zod";
import { Timestamp } from "./common";

export const DcCertificateView = z.object({
  sha256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  notAfter: Timestamp.nullable(),
  status: z.enum(["trusted", "pending"]),
  firstSeen: Timestamp,
  lastSeen: Timestamp,
  acceptedBy: z.string().nullable(),
  acceptedAt: Timestamp.nullable(),
});
export type DcCertificateView = z.infer<typeof DcCertificateView>;

export const DomainControllerView = z.object({
  domain: z.string(),
  hostname: z.string(),
  presented: DcCertificateView.nullable(),
  trusted: DcCertificateView.nullable(),
  certificateProblem: z.string().nullable(),
});
export type DomainControllerView = z.infer<typeof DomainControllerView>;

/** sites.domainControllers */
export const DomainControllerListView = z.object({ domainControllers: z.array(DomainControllerView) });
export type DomainControllerListView = z.infer<typeof DomainControllerListView>;

/** sites.acceptDcCertificate */
export const DcCertificateAcceptedView = z.object({
  status: z.literal("accepted"),
  domain: z.string(),
  hostname: z.string(),
  fingerprint: z.string(),
  replaced: z.string().nullable(),
});
