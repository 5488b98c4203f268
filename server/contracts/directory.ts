/**
 * Active Directory ("zero-friction deployment"): the appliance reports the domain it found and what it
 * enumerated; the partner enters ONE domain credential; Central Command merges the computers into Windows
 * targets and workstations and shows coverage. Field names are the seed's snake_case.
 */
import { z } from "zod";
import { SiteCredentialSummary } from "./credentials";
import {
  ChangedDcCertificate,
  DcCertificate,
  EnumeratedDcCertificate,
  Sha256Fingerprint,
  TrustedDcCertificate,
} from "./dc-certificates";
import { Hostname } from "./provisioning";
import { TargetStatus, TargetsPage } from "./targets-query";

/** A DNS domain name, e.g. clinic.local (compared and stored lower-case). */
export const DomainName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(253, "must be at most 253 characters")
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
    "must be a DNS domain name like clinic.local",
  )
  .transform((d) => d.toLowerCase());

const Timestamp = z.string().datetime({ offset: true });

/** One domain controller from the SRV records (RFC 2782 order: priority, then weight). */
export const DomainController = z.object({
  hostname: Hostname,
  port: z.number().int().min(1).max(65535),
  priority: z.number().int().min(0).max(65535),
  weight: z.number().int().min(0).max(65535),
  /** The certificate the DC presents on LDAPS/StartTLS, when the appliance could read it (optional). */
  certificate: DcCertificate.optional(),
  /** Why no certificate could be read, in words a technician can act on (optional; absent with `certificate`). */
  certificate_problem: z.string().trim().min(1).max(1000).optional(),
});
export type DomainController = z.infer<typeof DomainController>;

/** POST /api/appliances/domain-discovered (appliance key). `discovered_at` absent: the server's time. */
export const DomainDiscoveredRequest = z.object({
  appliance_id: z.string().min(1),
  domain: DomainName,
  netbios_name: z.string().trim().min(1).max(15, "must be at most 15 characters (a NetBIOS name)").optional(),
  domain_controllers: z.array(DomainController).max(100, "must list at most 100 domain controllers"),
  discovered_at: Timestamp.optional(),
});
export type DomainDiscoveredRequest = z.input<typeof DomainDiscoveredRequest>;

export const DomainDiscoveredResponse = z.object({
  status: z.literal("ok"),
  domain_id: z.string(),
  domain: z.string(),
  /** True the first time this site reports this domain (the partner was notified). */
  new_domain: z.boolean(),
});
export type DomainDiscoveredResponse = z.infer<typeof DomainDiscoveredResponse>;

/**
 * POST /api/appliances/domain-discovery-failed (appliance key): discovery found no domain. `searched` lists
 * the candidate names (and SRV names) tried, so the site page can say "no domain found: searched X, Y". The
 * next successful domain-discovered clears it. The partner is notified when an appliance starts failing, not
 * at every retry.
 */
export const DomainDiscoveryFailedRequest = z.object({
  appliance_id: z.string().min(1),
  searched: z.array(z.string().trim().min(1).max(300)).max(50),
  error: z.string().trim().min(1).max(1000),
  failed_at: Timestamp.optional(),
});
export type DomainDiscoveryFailedRequest = z.input<typeof DomainDiscoveryFailedRequest>;

/** A computer object as the appliance read it over LDAP. */
export const DirectoryComputer = z.object({
  /** dNSHostName, else name. Stored lower-case; the key of the merge within a site. */
  hostname: Hostname,
  name: z.string().trim().min(1).max(256),
  os: z.string().max(256).nullable().optional(),
  os_version: z.string().max(128).nullable().optional(),
  distinguished_name: z.string().max(2048).nullable().optional(),
  enabled: z.boolean(),
  /** lastLogonTimestamp as ISO 8601; null when the computer never logged on. */
  last_logon: Timestamp.nullable().optional(),
  is_domain_controller: z.boolean().default(false),
  /** TCP 5985/5986 answered (servers only); absent when not probed. */
  winrm_reachable: z.boolean().nullable().optional(),
});
export type DirectoryComputer = z.input<typeof DirectoryComputer>;

/** Computers per post, at most (a whole run of more must be chunked); the route takes bodies up to 8 MiB. */
export const MAX_COMPUTERS_PER_POST = 30_000;

const TOO_MANY_COMPUTERS = `at most ${MAX_COMPUTERS_PER_POST} computers per post; send a bigger run in chunks (run_id, chunk, last)`;

/**
 * POST /api/appliances/enumeration-results (appliance key) → 202 `{ job_id, run_id }`.
 *
 * A post WITHOUT `run_id` is a whole run (the seed's clients send this): at most MAX_COMPUTERS_PER_POST
 * (30,000) computers, and this route's body at most 8 MiB (about 30,000 computers of ~260 bytes; every other
 * route keeps 1 MiB).
 *
 * Bigger directories (a 50,000-computer domain is about 13 MB of JSON) are sent in CHUNKS: every chunk of one
 * run carries the same `run_id` (any 8–64 characters of [A-Za-z0-9_-], new per run), `chunk` counting from 0,
 * and `last: true` on the final one (it may arrive before others; the run completes when every chunk
 * 0..last has arrived). `domain`, `enumerated_at` and `partial` must be the same on every chunk. Each chunk
 * answers 202 with the run's `job_id`; re-sending a chunk is harmless (the same chunk number is kept once).
 *
 * Posting the same results twice changes nothing: a whole run is identified by a hash of its content, a
 * chunked run by its `run_id`, and either way it makes one run and one job.
 *
 * `partial: true` (the appliance's time budget ran out): what it has is merged, but computers it did not
 * list are NOT marked "not seen" (it may simply not have reached them).
 */
export const EnumerationResultsRequest = z
  .object({
    appliance_id: z.string().min(1),
    domain: DomainName,
    servers: z.array(DirectoryComputer).max(MAX_COMPUTERS_PER_POST, TOO_MANY_COMPUTERS),
    workstations: z.array(DirectoryComputer).max(MAX_COMPUTERS_PER_POST, TOO_MANY_COMPUTERS),
    enumerated_at: Timestamp,
    partial: z.boolean().default(false),
    run_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -")
      .optional(),
    chunk: z.number().int().min(0).max(9_999).optional(),
    last: z.boolean().optional(),
    /** The certificate of the DC this run read and how it was trusted (optional; the same on every chunk). */
    dc_certificate: EnumeratedDcCertificate.optional(),
  })
  .refine((r) => r.servers.length + r.workstations.length <= MAX_COMPUTERS_PER_POST, {
    message: TOO_MANY_COMPUTERS,
    path: ["servers"],
  })
  .refine(
    (r) => (r.run_id === undefined) === (r.chunk === undefined) && (r.last === undefined || r.run_id !== undefined),
    {
      message:
        "run_id, chunk and last go together: every chunk of a chunked run sends run_id and chunk (and last: true on the final one)",
      path: ["run_id"],
    },
  );
export type EnumerationResultsRequest = z.input<typeof EnumerationResultsRequest>;

export const EnumerationResultsResponse = z.object({
  status: z.literal("accepted"),
  /** The BullMQ job that merges the run: deterministic per appliance and run. */
  job_id: z.string(),
  run_id: z.string(),
  /** receiving: chunks still missing; queued: the merge is on its way; merged/failed: already done. */
  run_status: z.enum(["receiving", "queued", "merged", "failed"]),
});
export type EnumerationResultsResponse = z.infer<typeof EnumerationResultsResponse>;

/**
 * POST /api/appliances/enumeration-failed (appliance key): enumeration could not run (wrong password, DC
 * unreachable, no certificate, certificate changed…). `error` is shown to the partner as written, so it
 * should say what to do; it must never contain a password.
 */
export const EnumerationFailedRequest = z.object({
  appliance_id: z.string().min(1),
  domain: DomainName,
  error: z.string().trim().min(1).max(2000),
  /**
   * A short machine code, e.g. "invalid_credentials", "dc_unreachable", "certificate_changed", or
   * "credential_fetch_failed" (the appliance could not get the site's domain credential from Central Command:
   * refused, or still failing after its retries; `error` says why and what to do).
   */
  code: z
    .string()
    .regex(/^[a-z0-9_]{1,64}$/)
    .optional(),
  failed_at: Timestamp.optional(),
  /** With code certificate_changed: the DC's new certificate and the fingerprint that was pinned (optional). */
  certificate: ChangedDcCertificate.optional(),
});
export type EnumerationFailedRequest = z.input<typeof EnumerationFailedRequest>;

/** A PEM certificate bundle (one or more CERTIFICATE blocks, nothing else). */
export const CaPem = z
  .string()
  .max(65_536, "must be at most 64 KiB")
  .refine(
    (s) => /^(\s*-----BEGIN CERTIFICATE-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n)+-----END CERTIFICATE-----\s*)+$/.test(s),
    "must be PEM: one or more -----BEGIN CERTIFICATE----- … -----END CERTIFICATE----- blocks",
  );

/**
 * POST /api/sites/{site_id}/domain-credentials (partner admin session, or a full-scope partner token) → 201
 * the credential without its password. Replaces the site's previous domain credential and asks the site's
 * appliances to enumerate (trigger_enumeration at their next check-in).
 */
export const CreateDomainCredentialRequest = z.object({
  domain: DomainName,
  username: z.string().trim().min(1, "must not be empty").max(256),
  password: z.string().min(1, "must not be empty").max(1024, "must be at most 1024 characters"),
  ca_pem: CaPem.optional(),
  /**
   * The DC certificate fingerprints the partner compared (shown beside the form): each becomes trusted. Optional
   * (without it the appliance trusts on first use); when given it must not be empty unless ca_pem is, and each
   * must be a certificate the site's DCs presented: 409 when a DC presents another one by now.
   */
  accept_certificates: z.array(Sha256Fingerprint).max(100).optional(),
});
export type CreateDomainCredentialRequest = z.input<typeof CreateDomainCredentialRequest>;

/** What a partner sees of the domain credential: never the password. */
export const DomainCredentialSummary = SiteCredentialSummary.extend({
  ca_pem: z.string().nullable(),
  /** The enumeration run that used it first (null: none yet). */
  first_run_id: z.string().nullable(),
});
export type DomainCredentialSummary = z.infer<typeof DomainCredentialSummary>;

/** GET /api/sites/{site_id}/domain-credentials with a partner token or session: metadata only. */
export const DomainCredentialMetadata = z.object({
  credential: DomainCredentialSummary.nullable(),
  /** Who entered the current credential, and when (from the audit log; null with no credential). */
  entered_by: z
    .object({
      /** user: a partner user in the console; token: a partner API token; system: a script or the CLI. */
      actor_type: z.enum(["user", "token", "system"]),
      name: z.string().nullable(),
      email: z.string().nullable(),
      at: z.string().datetime(),
    })
    .nullable(),
});
export type DomainCredentialMetadata = z.infer<typeof DomainCredentialMetadata>;

/**
 * GET /api/sites/{site_id}/domain-credentials with the key of one of the site's appliances. An appliance with
 * a public key gets `sealed_password` (never `password`), sealed as in sealed-secret.ts with the binding
 * `domainCredentialBinding(...)`: appliance id, credential id, domain (in the binding's `hostname` slot) and
 * username as sent here. Every release is recorded in the credential access log before the answer.
 * 404 when the site has no domain credential yet.
 */
export const DomainCredentialRelease = z
  .object({
    credential_id: z.string(),
    domain: z.string(),
    username: z.string(),
    password: z.string().optional(),
    sealed_password: z.string().optional(),
    ca_pem: z.string().nullable(),
    /** The fingerprints the partner trusts per DC (pins that win over the appliance's own); absent: old server. */
    dc_certificates: z.array(TrustedDcCertificate).optional(),
  })
  .refine((r) => (r.password === undefined) !== (r.sealed_password === undefined), {
    message: "exactly one of password and sealed_password",
  });
export type DomainCredentialRelease = z.infer<typeof DomainCredentialRelease>;

/** The sealed-secret binding of a released domain credential (the domain takes the hostname's place). */
export function domainCredentialBinding(b: {
  applianceId: string;
  credentialId: string;
  domain: string;
  username: string;
}) {
  return { applianceId: b.applianceId, credentialId: b.credentialId, hostname: b.domain, username: b.username };
}

export const NotificationType = z.string();

export const NotificationWire = z.object({
  id: z.string(),
  /** domain_discovered, enumeration_complete, enumeration_failed, new_servers_found, domain_discovery_failed,
   *  appliance_offline, appliance_online, trigger_failed, … */
  type: NotificationType,
  site_id: z.string().nullable(),
  /** The site's clinic name, as the tables show it (null when the alert names no site). */
  site_name: z.string().nullable(),
  /** The appliance it is about, and its current hostname (null when none). */
  appliance_id: z.string().nullable(),
  hostname: z.string().nullable(),
  message: z.string(),
  detail: z.string(),
  /** Where the UI's call to action goes (e.g. the site's domain credential form), or null. */
  action_url: z.string().nullable(),
  created_at: z.string().datetime(),
  read: z.boolean(),
});
export type NotificationWire = z.infer<typeof NotificationWire>;

/** Newest first (unless order=asc); `total` counts every alert that matches, `unread` every unread one. */
export const NotificationList = z.object({
  notifications: z.array(NotificationWire),
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
  unread: z.number().int(),
});
export type NotificationList = z.infer<typeof NotificationList>;

export const TargetProvenance = z.enum(["manual", "discovered"]);

/** A Windows server: from AD, entered by hand (a credential with a host), or both. Never a password. */
export const ServerTargetWire = z.object({
  id: z.string().nullable(),
  hostname: z.string(),
  provenance: z.array(TargetProvenance),
  /** approved: uses the domain credential; awaiting_approval: no credential until a partner admin approves;
   *  manual: uses its own (manual) credential. */
  approval: z.enum(["approved", "awaiting_approval", "manual"]),
  credential_id: z.string().nullable(),
  use_ssl: z.boolean(),
  port: z.number().int(),
  os: z.string().nullable(),
  os_version: z.string().nullable(),
  distinguished_name: z.string().nullable(),
  is_domain_controller: z.boolean(),
  enabled: z.boolean(),
  stale: z.boolean(),
  winrm_reachable: z.boolean().nullable(),
  last_logon: z.string().datetime().nullable(),
  last_seen_in_ad: z.string().datetime().nullable(),
  /** Set when a complete enumeration no longer listed it: "not seen since …". */
  not_seen_since: z.string().datetime().nullable(),
  /** Scans arrive with a later issue: null until then. */
  last_scan_at: z.string().datetime().nullable(),
  /** The row's one status (targets-query.ts says which applies first). */
  status: TargetStatus,
});
export type ServerTargetWire = z.infer<typeof ServerTargetWire>;

export const WorkstationWire = z.object({
  id: z.string(),
  hostname: z.string(),
  name: z.string().nullable(),
  os: z.string().nullable(),
  os_version: z.string().nullable(),
  distinguished_name: z.string().nullable(),
  enabled: z.boolean(),
  stale: z.boolean(),
  last_logon: z.string().datetime().nullable(),
  last_seen_in_ad: z.string().datetime().nullable(),
  not_seen_since: z.string().datetime().nullable(),
  agent_status: z.enum(["not_deployed", "pending", "active", "stale", "error"]),
  agent_last_seen_at: z.string().datetime().nullable(),
  status: TargetStatus,
});
export type WorkstationWire = z.infer<typeof WorkstationWire>;

/**
 * GET /api/partners/me/sites/{site_id}/targets (any partner token): one page of each list (TargetsQuery in
 * targets-query.ts). A list's page is null when `kind` asked for the other list only (that list is then []).
 * servers_awaiting_approval counts the site's servers awaiting approval, whatever the search and filters.
 */
export const SiteTargets = z.object({
  servers: z.array(ServerTargetWire),
  workstations: z.array(WorkstationWire),
  servers_page: TargetsPage.nullable(),
  workstations_page: TargetsPage.nullable(),
  servers_awaiting_approval: z.number().int(),
});
export type SiteTargets = z.infer<typeof SiteTargets>;

/** A computer listed in coverage's disabled or stale lists. */
export const CoverageComputer = z.object({
  hostname: z.string(),
  kind: z.enum(["server", "workstation"]),
  enabled: z.boolean(),
  last_logon: z.string().datetime().nullable(),
});

/**
 * GET /api/partners/me/sites/{site_id}/coverage (any partner token): computers in AD (currently listed, i.e.
 * not "not seen") against what is monitored. Agents reporting and servers scanned arrive with later issues and
 * count 0 until then. coverage_percent = (servers_scanned + agents_reporting) / computers_in_ad × 100, one
 * decimal; null when AD lists no computer.
 */
export const SiteCoverage = z.object({
  site_id: z.string(),
  domain: z.string().nullable(),
  last_enumerated_at: z.string().datetime().nullable(),
  computers_in_ad: z.number().int(),
  servers_in_ad: z.number().int(),
  workstations_in_ad: z.number().int(),
  servers_awaiting_approval: z.number().int(),
  agents_reporting: z.number().int(),
  servers_scanned: z.number().int(),
  coverage_percent: z.number().nullable(),
  disabled: z.array(CoverageComputer),
  stale: z.array(CoverageComputer),
  not_seen: z.array(CoverageComputer),
});
export type SiteCoverage = z.infer<typeof SiteCoverage>;

/** Days without a logon after which a computer is "stale" (lastLogonTimestamp replicates with up to 14 days' lag). */
export const STALE_AFTER_DAYS = 60;

/** POST /api/partners/me/sites/{site_id}/targets/approve (full token): approve servers awaiting approval. */
export const ApproveTargetsRequest = z
  .object({
    /** These target ids; or `all: true` for every server awaiting approval. */
    target_ids: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
    all: z.literal(true).optional(),
  })
  .refine((r) => (r.target_ids === undefined) !== (r.all === undefined), {
    message: "send either target_ids or all: true",
    path: ["target_ids"],
  });
export type ApproveTargetsRequest = z.input<typeof ApproveTargetsRequest>;

export const ApproveTargetsResponse = z.object({ approved: z.number().int() });
