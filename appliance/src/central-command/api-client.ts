/**
 * The appliance's HTTP client for Central Command. Every response is validated with the shared
 * contracts, so a server and an appliance that disagree fail loudly instead of misbehaving.
 *
 * The provisioning calls never throw for transport or HTTP problems: they return an ApiResult whose
 * failure says what went wrong (timeout, no connection, an HTTP error with the server's message, or
 * a response that does not match the contract).
 */
import type { z } from "zod";
import {
  ApplianceConfigResponse,
  CheckinRequest,
  CheckinResponse,
  ClaimRequest,
  ClaimResponse,
  ErrorResponse,
  HealthResponse,
  HeartbeatRequest,
  OkResponse,
  ProvisionStatusRequest,
  ValidateResponse,
} from "../../../server/contracts";

export class CentralCommandError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "CentralCommandError";
  }
}

export async function fetchHealth(apiEndpoint: string, signal?: AbortSignal): Promise<HealthResponse> {
  const res = await fetch(new URL("/api/health", apiEndpoint), { signal });
  const body: unknown = await res.json();
  if (res.status !== 200 && res.status !== 503) {
    throw new CentralCommandError(res.status, ErrorResponse.safeParse(body).data?.error ?? `HTTP ${res.status}`);
  }
  return HealthResponse.parse(body);
}

// ── provisioning API ──

/** The seed's texts for transport failures, exact. */
export const TRANSPORT_ERRORS = {
  timeout: "Connection timed out",
  connect: "Failed to connect to server",
} as const;

export const DEFAULT_TIMEOUT_MS = 30_000;

export type ApiFailure =
  /** No complete answer within the timeout. */
  | { kind: "timeout"; message: string }
  /** Connection refused, DNS failure, TLS failure, connection reset… `detail` says which. */
  | { kind: "network"; message: string; detail: string }
  /** The caller's signal aborted the request. */
  | { kind: "aborted"; message: string }
  /** An HTTP error status; `message` is the server's `{error}` text when it sent one. */
  | { kind: "http"; status: number; message: string; retryAfterSeconds?: number }
  /** What the appliance was about to send breaks the contract (nothing was sent). */
  | { kind: "invalid-request"; message: string }
  /** A response that does not match the contract (or a redirect, which the appliance never follows). */
  | { kind: "invalid-response"; status: number; message: string };

export type ApiResult<T> = { ok: true; data: T } | { ok: false; failure: ApiFailure };

export interface RequestOptions {
  /** Abort and report "Connection timed out" when the whole answer has not arrived by then. Default 30 s. */
  timeoutMs?: number;
  /** Aborts the request early (for example on SIGTERM). */
  signal?: AbortSignal;
}

interface ApiCall<S extends z.ZodType> extends RequestOptions {
  apiEndpoint: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  apiKey?: string;
  response: S;
}

/** Joins an endpoint (which may carry a path prefix) and an absolute API path. */
export function apiUrl(apiEndpoint: string, path: string): URL {
  const base = new URL(apiEndpoint);
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new TypeError(`API endpoint must be an http:// or https:// URL, got "${apiEndpoint}"`);
  }
  base.pathname = `${base.pathname.replace(/\/+$/, "")}${path}`;
  base.search = "";
  base.hash = "";
  return base;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** One line for logs: the failure's message, with the HTTP status and Retry-After when there are some. */
export function describeFailure(failure: ApiFailure): string {
  switch (failure.kind) {
    case "network":
      return `${failure.message} (${failure.detail})`;
    case "http": {
      const retry = failure.retryAfterSeconds === undefined ? "" : `; try again in ${failure.retryAfterSeconds} s`;
      return `${failure.message} (HTTP ${failure.status})${retry}`;
    }
    default:
      return failure.message;
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
}

function networkDetail(err: unknown): string {
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  if (typeof cause === "string") return cause;
  return err instanceof Error ? err.message : String(err);
}

async function callApi<S extends z.ZodType>(call: ApiCall<S>): Promise<ApiResult<z.output<S>>> {
  let url: URL;
  try {
    url = apiUrl(call.apiEndpoint, call.path);
  } catch (err) {
    const message = err instanceof TypeError && err.message.startsWith("API endpoint") ? err.message : undefined;
    return {
      ok: false,
      failure: {
        kind: "network",
        message: TRANSPORT_ERRORS.connect,
        detail: message ?? `invalid API endpoint "${call.apiEndpoint}"`,
      },
    };
  }

  const timeout = AbortSignal.timeout(call.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
  const headers: Record<string, string> = { accept: "application/json" };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  if (call.apiKey !== undefined) headers.authorization = `Bearer ${call.apiKey}`;

  let status: number;
  let retryAfter: string | null;
  let location: string | null;
  let text: string;
  try {
    const res = await fetch(url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      // Never follow a redirect: it would turn a POST into a GET, or carry the key to another host.
      redirect: "manual",
      signal,
    });
    status = res.status;
    retryAfter = res.headers.get("retry-after");
    location = res.headers.get("location");
    text = await res.text(); // the timeout covers the body too
  } catch (err) {
    if (call.signal?.aborted) return { ok: false, failure: { kind: "aborted", message: "Request cancelled" } };
    if (timeout.aborted) return { ok: false, failure: { kind: "timeout", message: TRANSPORT_ERRORS.timeout } };
    return { ok: false, failure: { kind: "network", message: TRANSPORT_ERRORS.connect, detail: networkDetail(err) } };
  }

  let body: unknown;
  let isJson = true;
  try {
    body = JSON.parse(text);
  } catch {
    isJson = false;
  }

  if (status >= 300 && status < 400) {
    const where = location ? ` to ${location}` : "";
    return {
      ok: false,
      failure: {
        kind: "invalid-response",
        status,
        message: `Server redirected${where} (HTTP ${status}); set the API endpoint to the final address`,
      },
    };
  }

  if (status !== 200) {
    const serverMessage = isJson ? ErrorResponse.safeParse(body).data?.error : undefined;
    const failure: ApiFailure = { kind: "http", status, message: serverMessage ?? `Server answered HTTP ${status}` };
    const seconds = parseRetryAfter(retryAfter);
    if (seconds !== undefined) failure.retryAfterSeconds = seconds;
    return { ok: false, failure };
  }

  if (!isJson) {
    return {
      ok: false,
      failure: { kind: "invalid-response", status, message: "Unexpected response from server: not JSON" },
    };
  }
  const parsed = call.response.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      failure: {
        kind: "invalid-response",
        status,
        message: `Unexpected response from server: ${describeIssues(parsed.error)}`,
      },
    };
  }
  return { ok: true, data: parsed.data };
}

/** POST /api/provision/claim. The request is checked against the contract before it is sent. */
export async function postClaim(
  apiEndpoint: string,
  request: ClaimRequest,
  opts: RequestOptions = {},
): Promise<ApiResult<ClaimResponse>> {
  const checked = ClaimRequest.safeParse(request);
  if (!checked.success) {
    return {
      ok: false,
      failure: {
        kind: "invalid-request",
        message: `Invalid claim request: ${describeIssues(checked.error)}`,
      },
    };
  }
  return callApi({
    ...opts,
    apiEndpoint,
    method: "POST",
    path: "/api/provision/claim",
    body: checked.data,
    response: ClaimResponse,
  });
}

/** GET /api/provision/validate/{code}: shows the partner's branding before claiming. */
export async function getValidate(
  apiEndpoint: string,
  code: string,
  opts: RequestOptions = {},
): Promise<ApiResult<ValidateResponse>> {
  return callApi({
    ...opts,
    apiEndpoint,
    method: "GET",
    path: `/api/provision/validate/${encodeURIComponent(code)}`,
    response: ValidateResponse,
  });
}

/** POST /api/provision/status with the appliance key. */
export async function postProvisionStatus(
  apiEndpoint: string,
  apiKey: string,
  request: ProvisionStatusRequest,
  opts: RequestOptions = {},
): Promise<ApiResult<OkResponse>> {
  const body = ProvisionStatusRequest.parse(request);
  return callApi({
    ...opts,
    apiEndpoint,
    apiKey,
    method: "POST",
    path: "/api/provision/status",
    body,
    response: OkResponse,
  });
}

/** POST /api/provision/heartbeat with the appliance key. */
export async function postHeartbeat(
  apiEndpoint: string,
  apiKey: string,
  applianceId: string,
  opts: RequestOptions = {},
): Promise<ApiResult<OkResponse>> {
  const body = HeartbeatRequest.parse({ appliance_id: applianceId });
  return callApi({
    ...opts,
    apiEndpoint,
    apiKey,
    method: "POST",
    path: "/api/provision/heartbeat",
    body,
    response: OkResponse,
  });
}

/** GET /api/provision/config/{appliance_id} with the appliance key. */
export async function getApplianceConfig(
  apiEndpoint: string,
  apiKey: string,
  applianceId: string,
  opts: RequestOptions = {},
): Promise<ApiResult<ApplianceConfigResponse>> {
  return callApi({
    ...opts,
    apiEndpoint,
    apiKey,
    method: "GET",
    path: `/api/provision/config/${encodeURIComponent(applianceId)}`,
    response: ApplianceConfigResponse,
  });
}

/**
 * POST /api/appliances/checkin with the appliance key. The request is checked against the contract
 * before it is sent; the answer (with the Windows targets) is validated with CheckinResponse.
 */
export async function postCheckin(
  apiEndpoint: string,
  apiKey: string,
  request: CheckinRequest,
  opts: RequestOptions = {},
): Promise<ApiResult<CheckinResponse>> {
  const checked = CheckinRequest.safeParse(request);
  if (!checked.success) {
    return {
      ok: false,
      failure: { kind: "invalid-request", message: `Invalid check-in request: ${describeIssues(checked.error)}` },
    };
  }
  return callApi({
    ...opts,
    apiEndpoint,
    apiKey,
    method: "POST",
    path: "/api/appliances/checkin",
    body: checked.data,
    response: CheckinResponse,
  });
}
