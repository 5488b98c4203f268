/**
 * The Central Command endpoints the appliance calls, each declared once: method, path, whether the
 * appliance key goes with it, and the shared contracts its request and answer must match. callApi
 * (call-api.ts) does the rest, so adding an endpoint is a few lines here.
 */
import { z } from "zod";
import {
  ApplianceConfigResponse,
  CheckinRequest,
  CheckinResponse,
  ClaimRequest,
  ClaimResponse,
  DomainCredentialRelease,
  DomainDiscoveredRequest,
  DomainDiscoveredResponse,
  DomainDiscoveryFailedRequest,
  EnumerationFailedRequest,
  EnumerationResultsRequest,
  EnumerationResultsResponse,
  HeartbeatRequest,
  OkResponse,
  PROVISION_ERRORS,
  ProvisionCodeString,
  ProvisionStatusRequest,
  RekeyRequest,
  RekeyResponse,
  ScanResultsRequest,
  ScanResultsResponse,
  ValidateResponse,
} from "../../../server/contracts";

export const KEY_REJECTED_MESSAGE = "appliance key rejected; re-provision this appliance";

export interface Endpoint<Req extends z.ZodType, Res extends z.ZodType> {
  /** Names the request in "Invalid <name> request: …". */
  name: string;
  method: "GET" | "POST";
  /** The path from the validated request (a GET carries its parameters here; a POST sends the request as JSON). */
  path: (request: z.output<Req>) => string;
  request: Req;
  response: Res;
  /** Sends the appliance key as a Bearer token. */
  authenticated: boolean;
  /** The status of success (default 200): enumeration-results answers 202 Accepted. */
  successStatus?: number;
  /** The seed's exact texts for these statuses, used instead of whatever the server said. */
  statusMessages?: Readonly<Partial<Record<number, string>>>;
}

function endpoint<Req extends z.ZodType, Res extends z.ZodType>(e: Endpoint<Req, Res>): Endpoint<Req, Res> {
  return e;
}

/** What the seed's provisioning.py shows for a refused code. */
const PROVISION_CODE_ERRORS = {
  404: PROVISION_ERRORS.invalid,
  410: PROVISION_ERRORS.expired,
  409: PROVISION_ERRORS.claimed,
};

/** The answer of the AD failure reports: `{ status: "ok" }` (anything else it carries is not needed here). */
const ACKNOWLEDGED = z.object({ status: z.literal("ok") });

export const ENDPOINTS = {
  /** POST /api/provision/claim: swaps a provision code for this appliance's identity. */
  claim: endpoint({
    name: "claim",
    method: "POST",
    path: () => "/api/provision/claim",
    request: ClaimRequest,
    response: ClaimResponse,
    authenticated: false,
    statusMessages: PROVISION_CODE_ERRORS,
  }),
  /** GET /api/provision/validate/{code}: the partner's branding, before claiming. */
  validate: endpoint({
    name: "validation",
    method: "GET",
    path: ({ code }) => `/api/provision/validate/${encodeURIComponent(code)}`,
    request: z.object({ code: ProvisionCodeString }),
    response: ValidateResponse,
    authenticated: false,
    statusMessages: PROVISION_CODE_ERRORS,
  }),
  /** POST /api/provision/status */
  provisionStatus: endpoint({
    name: "status",
    method: "POST",
    path: () => "/api/provision/status",
    request: ProvisionStatusRequest,
    response: OkResponse,
    authenticated: true,
  }),
  /** POST /api/provision/heartbeat */
  heartbeat: endpoint({
    name: "heartbeat",
    method: "POST",
    path: () => "/api/provision/heartbeat",
    request: HeartbeatRequest,
    response: OkResponse,
    authenticated: true,
  }),
  /** GET /api/provision/config/{appliance_id}: the settings Central Command holds for this appliance. */
  applianceConfig: endpoint({
    name: "config",
    method: "GET",
    path: ({ appliance_id }) => `/api/provision/config/${encodeURIComponent(appliance_id)}`,
    request: z.object({ appliance_id: z.string().min(1) }),
    response: ApplianceConfigResponse,
    authenticated: true,
  }),
  /** POST /api/appliances/rekey: move to keys derived from a new root secret (the current key authenticates). */
  rekey: endpoint({
    name: "rekey",
    method: "POST",
    path: () => "/api/appliances/rekey",
    request: RekeyRequest,
    response: RekeyResponse,
    authenticated: true,
  }),
  /** POST /api/appliances/checkin: every poll interval; the answer carries flags and the Windows targets. */
  checkin: endpoint({
    name: "check-in",
    method: "POST",
    path: () => "/api/appliances/checkin",
    request: CheckinRequest,
    response: CheckinResponse,
    authenticated: true,
    statusMessages: { 401: KEY_REJECTED_MESSAGE },
  }),
  /** POST /api/appliances/domain-discovered: the AD domain and its DCs (when they change, and once a day). */
  domainDiscovered: endpoint({
    name: "domain-discovered",
    method: "POST",
    path: () => "/api/appliances/domain-discovered",
    request: DomainDiscoveredRequest,
    response: DomainDiscoveredResponse,
    authenticated: true,
  }),
  /** POST /api/appliances/domain-discovery-failed: no domain found, and what was searched. */
  domainDiscoveryFailed: endpoint({
    name: "domain-discovery-failed",
    method: "POST",
    path: () => "/api/appliances/domain-discovery-failed",
    request: DomainDiscoveryFailedRequest,
    response: ACKNOWLEDGED,
    authenticated: true,
  }),
  /** GET /api/sites/{site_id}/domain-credentials: the ONE domain credential, its password sealed to this appliance. */
  domainCredential: endpoint({
    name: "domain-credential",
    method: "GET",
    path: ({ site_id }) => `/api/sites/${encodeURIComponent(site_id)}/domain-credentials`,
    request: z.object({ site_id: z.string().min(1) }),
    response: DomainCredentialRelease,
    authenticated: true,
  }),
  /** POST /api/appliances/enumeration-results: a whole run (≤ 30,000 computers) or one chunk of a bigger one. */
  enumerationResults: endpoint({
    name: "enumeration-results",
    method: "POST",
    path: () => "/api/appliances/enumeration-results",
    request: EnumerationResultsRequest,
    response: EnumerationResultsResponse,
    authenticated: true,
    successStatus: 202,
  }),
  /** POST /api/appliances/enumeration-failed: why the enumeration could not run (never a password). */
  enumerationFailed: endpoint({
    name: "enumeration-failed",
    method: "POST",
    path: () => "/api/appliances/enumeration-failed",
    request: EnumerationFailedRequest,
    response: ACKNOWLEDGED,
    authenticated: true,
  }),
  /**
   * POST /api/appliances/scan-results: one batch of a compliance scan's results, idempotent by batch_id (a batch
   * sent again after a lost answer is stored once); the scan's last batch carries scan_completed_at.
   */
  scanResults: endpoint({
    name: "scan-results",
    method: "POST",
    path: () => "/api/appliances/scan-results",
    request: ScanResultsRequest,
    response: ScanResultsResponse,
    authenticated: true,
  }),
} as const;
