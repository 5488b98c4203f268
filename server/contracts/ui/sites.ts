import { z } from "zod";
import { CredentialType } from "../credentials";
import { ApplianceStatusView, Timestamp } from "./common";
import { SiteDirectoryView } from "./directory";

/** sites.list */
export const SiteListView = z.array(
  z.object({
    id: z.string(),
    clientName: z.string(),
    createdAt: Timestamp,
    /** Appliances at the site, and how many of them are online (revoked ones never count as online). */
    appliances: z.number().int().nonnegative(),
    online: z.number().int().nonnegative(),
  }),
);
export type SiteListView = z.infer<typeof SiteListView>;

/** A stored credential as partners see it: everything but the password. */
export const SiteCredentialView = z.object({
  id: z.string(),
  siteId: z.string(),
  credentialType: CredentialType,
  credentialName: z.string(),
  host: z.string().nullable(),
  username: z.string(),
  domain: z.string().nullable(),
  useSsl: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SiteCredentialView = z.infer<typeof SiteCredentialView>;

/** sites.setDomainCredential, and sites.domainCredential's `credential`: everything but the password. */
export const DomainCredentialView = SiteCredentialView.extend({
  caPem: z.string().nullable(),
  /** The enumeration run that used it first (null: none yet). */
  firstRunId: z.string().nullable(),
});
export type DomainCredentialView = z.infer<typeof DomainCredentialView>;

/** sites.domainCredential (null: the site has none yet). */
export const DomainCredentialMetadataView = z.object({
  credential: DomainCredentialView.nullable(),
  /** Who entered it and when (null: no credential, or its audit entry is gone). */
  enteredBy: z
    .object({
      actorType: z.enum(["user", "token", "system"]),
      name: z.string().nullable(),
      email: z.string().nullable(),
      at: Timestamp,
    })
    .nullable(),
});
export type DomainCredentialMetadataView = z.infer<typeof DomainCredentialMetadataView>;

export const SiteApplianceView = z.object({
  id: z.string(),
  hostname: z.string(),
  macAddress: z.string(),
  status: ApplianceStatusView,
  provisionStatus: z.string().nullable(),
  lastCheckinAt: Timestamp.nullable(),
  agentVersion: z.string().nullable(),
  uptimeS: z.number().int().nullable(),
  revokedAt: Timestamp.nullable(),
  revokedBy: z.string().nullable(),
  /** Targets the appliance reported it could not use, as of its last check-in (none: empty). */
  unusableTargets: z.array(z.object({ hostname: z.string(), credentialId: z.string().optional(), reason: z.string() })),
  unusableSince: Timestamp.nullable(),
});
export type SiteApplianceView = z.infer<typeof SiteApplianceView>;

/** sites.get */
export const SiteDetailView = z.object({
  id: z.string(),
  clientName: z.string(),
  createdAt: Timestamp,
  appliances: z.array(SiteApplianceView),
  credentials: z.array(SiteCredentialView),
  /** Active Directory: domains found, failed discoveries and the latest enumeration run. */
  directory: SiteDirectoryView,
});
export type SiteDetailView = z.infer<typeof SiteDetailView>;

/** sites.credentialAccess: one entry per appliance · credential · UTC hour, newest hour first. */
export const CredentialAccessPageView = z.object({
  access: z.array(
    z.object({
      credentialId: z.string(),
      applianceId: z.string(),
      firstReleasedAt: Timestamp,
      lastReleasedAt: Timestamp,
      count: z.number().int().positive(),
    }),
  ),
  /** Pass as the next call's `cursor`; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type CredentialAccessPageView = z.infer<typeof CredentialAccessPageView>;

/** sites.requestScan: how many appliances were asked to scan. */
export const ScanRequestedView = z.object({ appliances: z.number().int().nonnegative() });

/** sites.deleteCredential */
export const CredentialDeletedView = z.object({ deleted: z.literal(true), id: z.string() });

/** sites.revokeAppliance */
export const ApplianceRevokedView = z.object({
  applianceId: z.string(),
  siteId: z.string(),
  revokedAt: Timestamp,
  revokedBy: z.string(),
});
