/**
 * A real HTTP server on 127.0.0.1 that answers /api/provision/* and /api/appliances/checkin the way
 * Central Command does, with bodies built and checked against the shared contracts. A request that does
 * not match its contract is answered 400 and recorded in `problems`, so a wrong request shape fails the
 * test that sent it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import {
  APPLIANCE_SETTING_DEFAULTS,
  ApplianceConfigResponse,
  type CheckinCompliance,
  CheckinRequest,
  CheckinResponse,
  ClaimRequest,
  ClaimResponse,
  DomainDiscoveredRequest,
  DomainDiscoveryFailedRequest,
  domainCredentialBinding,
  EnumerationFailedRequest,
  EnumerationResultsRequest,
  EnumerationResultsResponse,
  ErrorResponse,
  HeartbeatRequest,
  OkResponse,
  PROVISION_ERRORS,
  ProvisionStatusRequest,
  RekeyRequest,
  ValidateResponse,
  type WindowsTargetWire,
} from "../../../server/contracts";
import { sealSecret } from "../../src/crypto/sealed-box";
import { startHttpServer } from "./http-server";

/** Codes with a fixed behaviour. Every other well-formed code is unknown (404). */
export const CODES = {
  valid: "ABCD1234EFGH5678",
  valid2: "WXYZ9876STUV5432",
  expired: "EXPD0000EXPD0000",
  claimed: "USED0000USED0000",
  rateLimited: "RATE0000RATE0000",
  badBody: "BADBODY000000000",
  serverError: "BOOM000000000000",
  hang: "HANG000000000000",
  unknown: "NOPE0000NOPE0000",
} as const;

export const PARTNER = { slug: "nepa-it", brand_name: "NEPA IT Solutions", primary_color: "#2563EB" } as const;
export const SITE_ID = "partner-clinic-abc123";

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

interface Appliance {
  applianceId: string;
  apiKey: string;
  siteId: string;
  /** From the claim's public_key (or registerAppliance): passwords are sealed for it. */
  publicKey: string | undefined;
}

/** A site credential the fake hands out at check-in. */
export interface FakeWindowsCredential {
  /** The site credential's id (part of a sealed password's binding); cred-<hostname> by default. */
  credentialId?: string;
  hostname: string;
  username: string;
  password: string;
  use_ssl?: boolean;
  port?: number;
  transport?: "ntlm" | "kerberos" | "basic";
  /**
   * "auto" (default): sealed_password when the appliance registered a public key, else password.
   * "plain": always password. { sealed_password }: send exactly this (e.g. sealed for someone else).
   */
  deliver?: "auto" | "plain" | { sealed_password: string };
}

/** A scripted answer for one check-in, taken before anything else is looked at. */
export type CheckinStep =
  | { kind: "status"; status: number; error?: string; retryAfter?: string }
  /** Destroys the connection without an answer. */
  | { kind: "drop" }
  /** Answers 200 with this body as-is (e.g. one that breaks the contract). */
  | { kind: "body"; body: unknown }
  /** Answers normally. */
  | { kind: "ok" };

/** The site's domain credential, as GET /api/sites/{site_id}/domain-credentials releases it. */
export interface FakeDomainCredential {
  credentialId?: string;
  domain: string;
  username: string;
  password: string;
  ca_pem?: string | null;
  /** As for Windows credentials: "auto" seals to the appliance's public key. */
  deliver?: "auto" | "plain" | { sealed_password: string };
}

/** The Active Directory posts, by path suffix. */
export type AdPath = "domain-discovered" | "domain-discovery-failed" | "enumeration-results" | "enumeration-failed";

export interface FakeCentralCommand {
  url: string;
  requests: RecordedRequest[];
  /** Contract violations seen in requests; tests expect it to stay empty. */
  problems: string[];
  /** Claims accepted: the body the appliance sent. */
  claims: z.output<typeof ClaimRequest>[];
  statuses: { apiKey: string; body: z.output<typeof ProvisionStatusRequest> }[];
  heartbeats: { apiKey: string; body: z.output<typeof HeartbeatRequest> }[];
  /** Check-ins accepted (authenticated, contract-valid, own appliance id), with what was answered. */
  checkins: { apiKey: string; body: z.output<typeof CheckinRequest>; answer: CheckinResponse }[];
  /** Consumed one per check-in request while non-empty; then the fake answers normally. */
  checkinScript: CheckinStep[];
  /** Answer every check-in with this failure (after the script); undefined to behave. */
  checkinDown: CheckinStep | undefined;
  /** The site's credentials, sent as windows_targets. */
  windowsCredentials: FakeWindowsCredential[];
  pollInterval: number;
  /** Pending flags: sent with the next successful check-in, then cleared (as the seed says). */
  flags: { enumeration: boolean; immediateScan: boolean };
  /** Sent as the check-in answer's compliance (scan schedule and thresholds); absent when undefined. */
  compliance: CheckinCompliance | undefined;
  /** Lets an appliance that was provisioned elsewhere authenticate (and, with a public key, get sealed passwords). */
  registerAppliance(applianceId: string, apiKey: string, publicKey?: string): void;
  /** Answer /api/provision/status with this HTTP status instead (e.g. 500); undefined to behave. */
  failStatusWith: number | undefined;
  /** Rekeys accepted: the old key and the body (new api_key and public_key). */
  rekeys: { oldKey: string; body: z.output<typeof RekeyRequest> }[];
  /** Apply a rekey but drop the connection instead of answering (the answer is lost). */
  dropRekeyAnswer: boolean;
  /** api_endpoint in claim answers; the server's own URL by default. */
  apiEndpointInAnswer: string;
  /** The site's domain credential; undefined answers 404 (none entered yet). */
  domainCredential: FakeDomainCredential | undefined;
  /** Domain credential releases (GETs answered 200). */
  credentialReleases: number;
  /** Accepted AD posts, in order (contract-valid, own appliance). */
  discovered: z.output<typeof DomainDiscoveredRequest>[];
  discoveryFailures: z.output<typeof DomainDiscoveryFailedRequest>[];
  enumerationResults: z.output<typeof EnumerationResultsRequest>[];
  enumerationFailures: z.output<typeof EnumerationFailedRequest>[];
  /** Scripted answers for AD posts (consumed one per request to that path) before they are accepted. */
  adScript: Partial<Record<AdPath, CheckinStep[]>>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  send(res, status, ErrorResponse.parse({ error }), headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function wireTarget(c: FakeWindowsCredential, appliance: Appliance): WindowsTargetWire {
  const base = {
    hostname: c.hostname,
    credential_id: c.credentialId ?? `cred-${c.hostname}`,
    username: c.username,
    use_ssl: c.use_ssl ?? false,
    port: c.port ?? (c.use_ssl ? 5986 : 5985),
    transport: c.transport ?? "ntlm",
  };
  const deliver = c.deliver ?? "auto";
  if (typeof deliver === "object") return { ...base, sealed_password: deliver.sealed_password };
  if (deliver === "auto" && appliance.publicKey !== undefined) {
    const binding = {
      applianceId: appliance.applianceId,
      credentialId: base.credential_id,
      hostname: base.hostname,
      username: base.username,
    };
    return { ...base, sealed_password: sealSecret(c.password, appliance.publicKey, binding) };
  }
  return { ...base, password: c.password };
}

function ok(): OkResponse {
  return OkResponse.parse({ status: "ok", server_time: new Date().toISOString() });
}

export async function startFakeCentralCommand(): Promise<FakeCentralCommand> {
  const appliances = new Map<string, Appliance>(); // by api key
  const claimedCodes = new Set<string>([CODES.claimed]);

  const fake: FakeCentralCommand = {
    url: "",
    requests: [],
    problems: [],
    claims: [],
    statuses: [],
    heartbeats: [],
    checkins: [],
    checkinScript: [],
    checkinDown: undefined,
    windowsCredentials: [],
    pollInterval: 60,
    flags: { enumeration: false, immediateScan: false },
    compliance: undefined,
    failStatusWith: undefined,
    rekeys: [],
    dropRekeyAnswer: false,
    apiEndpointInAnswer: "",
    domainCredential: undefined,
    credentialReleases: 0,
    discovered: [],
    discoveryFailures: [],
    enumerationResults: [],
    enumerationFailures: [],
    adScript: {},
    registerAppliance(applianceId, apiKey, publicKey) {
      appliances.set(apiKey, { applianceId, apiKey, siteId: SITE_ID, publicKey });
    },
    close: async () => {},
  };

  function parseOr400<S extends z.ZodType>(
    schema: S,
    body: unknown,
    what: string,
    res: ServerResponse,
  ): z.output<S> | undefined {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const message = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    fake.problems.push(`${what}: ${message}`);
    sendError(res, 400, `Invalid request: ${message}`);
    return undefined;
  }

  function authenticate(req: IncomingMessage, res: ServerResponse): Appliance | undefined {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    const appliance = match?.[1] === undefined ? undefined : appliances.get(match[1]);
    if (!appliance) sendError(res, 401, "Invalid appliance key");
    return appliance;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    const text = req.method === "POST" ? await readBody(req) : "";
    let body: unknown;
    if (req.method === "POST") {
      try {
        body = JSON.parse(text);
      } catch {
        fake.problems.push(`${path}: body is not JSON`);
        return sendError(res, 400, "Request body must be JSON");
      }
      if (req.headers["content-type"] !== "application/json") fake.problems.push(`${path}: content-type is not JSON`);
    }
    fake.requests.push({
      method: req.method ?? "",
      path,
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      body,
    });

    if (req.method === "POST" && path === "/api/provision/claim") {
      const claim = parseOr400(ClaimRequest, body, "claim", res);
      if (!claim) return;
      const code = claim.provision_code;
      if (code === CODES.hang) return; // accept, read, never answer
      if (code === CODES.rateLimited) {
        return sendError(res, 429, "Too many provisioning attempts", { "retry-after": "42" });
      }
      if (code === CODES.serverError) {
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<html>Bad gateway</html>");
        return;
      }
      if (code === CODES.badBody) return send(res, 200, { status: "claimed", site_id: SITE_ID });
      if (code === CODES.expired) return sendError(res, 410, PROVISION_ERRORS.expired);
      if (claimedCodes.has(code)) return sendError(res, 409, PROVISION_ERRORS.claimed);
      if (code !== CODES.valid && code !== CODES.valid2) return sendError(res, 404, PROVISION_ERRORS.invalid);

      claimedCodes.add(code);
      fake.claims.push(claim);
      const applianceId = `${SITE_ID}-${claim.mac_address}`;
      appliances.set(claim.api_key, {
        applianceId,
        apiKey: claim.api_key,
        siteId: SITE_ID,
        publicKey: claim.public_key,
      });
      const answer: ClaimResponse = ClaimResponse.parse({
        status: "claimed",
        site_id: SITE_ID,
        appliance_id: applianceId,
        partner: PARTNER,
        api_endpoint: fake.apiEndpointInAnswer || fake.url,
      });
      return send(res, 200, answer);
    }

    const validate = /^\/api\/provision\/validate\/([^/]+)$/.exec(path);
    if (req.method === "GET" && validate) {
      const code = decodeURIComponent(validate[1] ?? "");
      if (code === CODES.expired) return sendError(res, 410, PROVISION_ERRORS.expired);
      if (claimedCodes.has(code)) return sendError(res, 409, PROVISION_ERRORS.claimed);
      if (code !== CODES.valid && code !== CODES.valid2) return sendError(res, 404, PROVISION_ERRORS.invalid);
      return send(
        res,
        200,
        ValidateResponse.parse({
          valid: true,
          partner: { brand_name: PARTNER.brand_name, primary_color: PARTNER.primary_color },
          expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        }),
      );
    }

    if (req.method === "POST" && path === "/api/provision/status") {
      const appliance = authenticate(req, res);
      if (!appliance) return;
      const status = parseOr400(ProvisionStatusRequest, body, "status", res);
      if (!status) return;
      if (status.appliance_id !== appliance.applianceId) return sendError(res, 403, "Not your appliance");
      if (fake.failStatusWith !== undefined) return sendError(res, fake.failStatusWith, "Status unavailable");
      fake.statuses.push({ apiKey: appliance.apiKey, body: status });
      return send(res, 200, ok());
    }

    if (req.method === "POST" && path === "/api/provision/heartbeat") {
      const appliance = authenticate(req, res);
      if (!appliance) return;
      const beat = parseOr400(HeartbeatRequest, body, "heartbeat", res);
      if (!beat) return;
      if (beat.appliance_id !== appliance.applianceId) return sendError(res, 403, "Not your appliance");
      fake.heartbeats.push({ apiKey: appliance.apiKey, body: beat });
      return send(res, 200, ok());
    }

    if (req.method === "POST" && path === "/api/appliances/rekey") {
      const appliance = authenticate(req, res);
      if (!appliance) return;
      const rekey = parseOr400(RekeyRequest, body, "rekey", res);
      if (!rekey) return;
      if (rekey.appliance_id !== appliance.applianceId) return sendError(res, 403, "Not your appliance");
      appliances.delete(appliance.apiKey);
      appliances.set(rekey.api_key, { ...appliance, apiKey: rekey.api_key, publicKey: rekey.public_key });
      fake.rekeys.push({ oldKey: appliance.apiKey, body: rekey });
      if (fake.dropRekeyAnswer) {
        req.socket.destroy();
        return;
      }
      return send(res, 200, ok());
    }

    if (req.method === "POST" && path === "/api/appliances/checkin") {
      const step = fake.checkinScript.shift() ?? fake.checkinDown;
      if (step?.kind === "drop") {
        req.socket.destroy();
        return;
      }
      if (step?.kind === "status") {
        const headers: Record<string, string> = step.retryAfter === undefined ? {} : { "retry-after": step.retryAfter };
        return sendError(res, step.status, step.error ?? "Check-in unavailable", headers);
      }
      if (step?.kind === "body") return send(res, 200, step.body);

      const appliance = authenticate(req, res);
      if (!appliance) return;
      const checkin = parseOr400(CheckinRequest, body, "checkin", res);
      if (!checkin) return;
      if (checkin.appliance_id !== appliance.applianceId) return sendError(res, 403, "Not your appliance");
      const answer = CheckinResponse.parse({
        status: "ok",
        server_time: new Date().toISOString(),
        poll_interval: fake.pollInterval,
        trigger_enumeration: fake.flags.enumeration,
        trigger_immediate_scan: fake.flags.immediateScan,
        windows_targets: fake.windowsCredentials.map((c) => wireTarget(c, appliance)),
        ...(fake.compliance ? { compliance: fake.compliance } : {}),
      } satisfies CheckinResponse);
      fake.flags = { enumeration: false, immediateScan: false };
      fake.checkins.push({ apiKey: appliance.apiKey, body: checkin, answer });
      return send(res, 200, answer);
    }

    const adPost =
      /^\/api\/appliances\/(domain-discovered|domain-discovery-failed|enumeration-results|enumeration-failed)$/.exec(
        path,
      );
    if (req.method === "POST" && adPost) {
      const which = adPost[1] as AdPath;
      const step = fake.adScript[which]?.shift();
      if (step?.kind === "drop") {
        req.socket.destroy();
        return;
      }
      if (step?.kind === "status") {
        const headers: Record<string, string> = step.retryAfter === undefined ? {} : { "retry-after": step.retryAfter };
        return sendError(res, step.status, step.error ?? "Unavailable", headers);
      }
      if (step?.kind === "body") return send(res, 200, step.body);
      const appliance = authenticate(req, res);
      if (!appliance) return;
      const mine = (id: string) => {
        if (id === appliance.applianceId) return true;
        sendError(res, 403, "Not your appliance");
        return false;
      };
      if (which === "domain-discovered") {
        const b = parseOr400(DomainDiscoveredRequest, body, which, res);
        if (!b || !mine(b.appliance_id)) return;
        const isNew = !fake.discovered.some((d) => d.domain === b.domain);
        fake.discovered.push(b);
        return send(res, 200, { status: "ok", domain_id: `dom-${b.domain}`, domain: b.domain, new_domain: isNew });
      }
      if (which === "domain-discovery-failed") {
        const b = parseOr400(DomainDiscoveryFailedRequest, body, which, res);
        if (!b || !mine(b.appliance_id)) return;
        fake.discoveryFailures.push(b);
        return send(res, 200, { status: "ok" });
      }
      if (which === "enumeration-results") {
        const b = parseOr400(EnumerationResultsRequest, body, which, res);
        if (!b || !mine(b.appliance_id)) return;
        fake.enumerationResults.push(b);
        const runId = b.run_id ?? `run-${fake.enumerationResults.length}`;
        return send(
          res,
          202,
          EnumerationResultsResponse.parse({
            status: "accepted",
            job_id: `enum-${runId}`,
            run_id: runId,
            run_status: b.run_id === undefined || b.last ? "queued" : "receiving",
          }),
        );
      }
      const b = parseOr400(EnumerationFailedRequest, body, which, res);
      if (!b || !mine(b.appliance_id)) return;
      fake.enumerationFailures.push(b);
      return send(res, 200, { status: "ok", run_id: `failed-${fake.enumerationFailures.length}` });
    }

    const domainCreds = /^\/api\/sites\/([^/]+)\/domain-credentials$/.exec(path);
    if (req.method === "GET" && domainCreds) {
      const appliance = authenticate(req, res);
      if (!appliance) return;
      if (decodeURIComponent(domainCreds[1] ?? "") !== appliance.siteId) return sendError(res, 403, "Not your site");
      const c = fake.domainCredential;
      if (!c) return sendError(res, 404, "This site has no domain credential yet.");
      fake.credentialReleases += 1;
      const credentialId = c.credentialId ?? `domcred-${c.domain}`;
      const base = { credential_id: credentialId, domain: c.domain, username: c.username, ca_pem: c.ca_pem ?? null };
      const deliver = c.deliver ?? "auto";
      if (typeof deliver === "object") return send(res, 200, { ...base, sealed_password: deliver.sealed_password });
      if (deliver === "auto" && appliance.publicKey !== undefined) {
        const binding = domainCredentialBinding({
          applianceId: appliance.applianceId,
          credentialId,
          domain: c.domain,
          username: c.username,
        });
        return send(res, 200, { ...base, sealed_password: sealSecret(c.password, appliance.publicKey, binding) });
      }
      return send(res, 200, { ...base, password: c.password });
    }

    const config = /^\/api\/provision\/config\/([^/]+)$/.exec(path);
    if (req.method === "GET" && config) {
      const appliance = authenticate(req, res);
      if (!appliance) return;
      if (decodeURIComponent(config[1] ?? "") !== appliance.applianceId) {
        return sendError(res, 403, "Not your appliance");
      }
      return send(
        res,
        200,
        ApplianceConfigResponse.parse({
          site_id: appliance.siteId,
          appliance_id: appliance.applianceId,
          api_endpoint: fake.url,
          ...APPLIANCE_SETTING_DEFAULTS,
          partner: PARTNER,
        }),
      );
    }

    sendError(res, 404, "Not found");
  }

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      fake.problems.push(`server error: ${String(err)}`);
      if (!res.headersSent) sendError(res, 500, "Internal error");
    });
  });
  fake.url = server.url;
  fake.close = server.close;
  return fake;
}
