/**
 * Active Directory as the partner UI sees it (camelCase; the REST shapes are in ../directory.ts): what
 * sites.get says about discovery and the latest enumeration, and the outputs of sites.targets,
 * sites.coverage and sites.approveTargets (the domain credential's views are with the other credentials, in
 * sites.ts). Never a password.
 */
import { z } from "zod";
import { TARGET_STATUSES } from "../targets-query";
import { Timestamp } from "./common";

const TargetStatusView = z.enum(TARGET_STATUSES);

/** sites.get's `directory`: domains found, failed discoveries ("no domain found: searched X, Y"), latest run. */
export const SiteDirectoryView = z.object({
  domains: z.array(
    z.object({
      domain: z.string(),
      netbiosName: z.string().nullable(),
      domainControllers: z.array(
        z.object({
          hostname: z.string(),
          port: z.number().int(),
          priority: z.number().int(),
          weight: z.number().int(),
        }),
      ),
      discoveredAt: Timestamp,
      applianceId: z.string(),
    }),
  ),
  discoveryFailures: z.array(
    z.object({
      applianceId: z.string(),
      error: z.string().nullable(),
      searched: z.array(z.string()),
      failedAt: Timestamp.nullable(),
    }),
  ),
  lastEnumeration: z
    .object({
      runId: z.string(),
      domain: z.string(),
      status: z.enum(["receiving", "queued", "merged", "failed"]),
      partial: z.boolean(),
      error: z.string().nullable(),
      servers: z.number().int(),
      workstations: z.number().int(),
      enumeratedAt: Timestamp.nullable(),
      receivedAt: Timestamp,
      mergedAt: Timestamp.nullable(),
    })
    .nullable(),
});
export type SiteDirectoryView = z.infer<typeof SiteDirectoryView>;

/** A Windows server: from AD, entered by hand (a credential with a host), or both. */
export const ServerTargetView = z.object({
  /** null for a manual target AD does not list. */
  id: z.string().nullable(),
  hostname: z.string(),
  provenance: z.array(z.enum(["manual", "discovered"])),
  approval: z.enum(["approved", "awaiting_approval", "manual"]),
  credentialId: z.string().nullable(),
  useSsl: z.boolean(),
  port: z.number().int(),
  os: z.string().nullable(),
  osVersion: z.string().nullable(),
  distinguishedName: z.string().nullable(),
  isDomainController: z.boolean(),
  enabled: z.boolean(),
  stale: z.boolean(),
  winrmReachable: z.boolean().nullable(),
  lastLogon: Timestamp.nullable(),
  lastSeenInAd: Timestamp.nullable(),
  notSeenSince: Timestamp.nullable(),
  lastScanAt: Timestamp.nullable(),
  status: TargetStatusView,
});
export type ServerTargetView = z.infer<typeof ServerTargetView>;

export const WorkstationView = z.object({
  id: z.string(),
  hostname: z.string(),
  name: z.string().nullable(),
  os: z.string().nullable(),
  osVersion: z.string().nullable(),
  distinguishedName: z.string().nullable(),
  enabled: z.boolean(),
  stale: z.boolean(),
  lastLogon: Timestamp.nullable(),
  lastSeenInAd: Timestamp.nullable(),
  notSeenSince: Timestamp.nullable(),
  agentStatus: z.enum(["not_deployed", "pending", "active", "stale", "error"]),
  agentLastSeenAt: Timestamp.nullable(),
  status: TargetStatusView,
});
export type WorkstationView = z.infer<typeof WorkstationView>;

const TargetsPageView = z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

/** sites.targets: a page of each list (null page: `kind` asked for the other list only). */
export const SiteTargetsView = z.object({
  servers: z.array(ServerTargetView),
  workstations: z.array(WorkstationView),
  serversPage: TargetsPageView.nullable(),
  workstationsPage: TargetsPageView.nullable(),
  serversAwaitingApproval: z.number().int(),
});
export type SiteTargetsView = z.infer<typeof SiteTargetsView>;

const CoverageComputerView = z.object({
  hostname: z.string(),
  kind: z.enum(["server", "workstation"]),
  enabled: z.boolean(),
  lastLogon: Timestamp.nullable(),
});

/** sites.coverage: computers AD lists now against what is monitored (coveragePercent null: AD lists none). */
export const SiteCoverageView = z.object({
  siteId: z.string(),
  domain: z.string().nullable(),
  lastEnumeratedAt: Timestamp.nullable(),
  computersInAd: z.number().int(),
  serversInAd: z.number().int(),
  workstationsInAd: z.number().int(),
  serversAwaitingApproval: z.number().int(),
  agentsReporting: z.number().int(),
  serversScanned: z.number().int(),
  coveragePercent: z.number().nullable(),
  disabled: z.array(CoverageComputerView),
  stale: z.array(CoverageComputerView),
  notSeen: z.array(CoverageComputerView),
});
export type SiteCoverageView = z.infer<typeof SiteCoverageView>;

/** sites.approveTargets: how many servers were approved. */
export const TargetsApprovedView = z.object({ approved: z.number().int().nonnegative() });
