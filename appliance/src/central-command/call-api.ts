/**
 * The appliance's one HTTP client for Central Command: the only place in appliance/src that calls fetch.
 *
 * callApi NEVER throws (an architecture test and call-api.test.ts hold it to that). Every problem comes
 * back as an ApiFailure: a request that breaks its contract (nothing is sent), a bad endpoint URL, no
 * connection, a timeout, an HTTP error (with the seed's text where it has one), a redirect, or an answer
 * that is not JSON or does not match the contract.
 */
import type { z } from "zod";
import { ErrorResponse } from "../../../server/contracts";
import { describeIssues } from "../shared/describe-issues";
import { type ApiFailure, type ApiResult, TRANSPORT_ERRORS } from "./api-failure";
import type { Endpoint } from "./endpoints";

export const DEFAULT_TIMEOUT_MS = 30_000;
/** AbortSignal.timeout takes at most a 32-bit millisecond count. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface RequestOptions {
  /** Abort and report "Connection timed out" when the whole answer has not arrived by then. Default 30 s. */
  timeoutMs?: number;
  /** Aborts the request early (for example on SIGTERM). */
  signal?: AbortSignal;
}

export interface CallOptions extends RequestOptions {
  /** Central Command's base URL; may carry a path prefix. */
  apiEndpoint: string;
  /** The appliance key; required by authenticated endpoints. */
  apiKey?: string;
}

/** Joins an endpoint (which may carry a path prefix) and an absolute API path. Throws TypeError for a non-HTTP URL. */
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

function networkDetail(err: unknown): string {
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  if (typeof cause === "string") return cause;
  return err instanceof Error ? err.message : String(err);
}

function fail<T>(failure: ApiFailure): ApiResult<T> {
  return { ok: false, failure };
}

interface RawAnswer {
  status: number;
  retryAfter: string | null;
  location: string | null;
  text: string;
}

/** Sends `request` to `endpoint` and returns the answer validated against its contract. Never throws. */
export async function callApi<Req extends z.ZodType, Res extends z.ZodType>(
  endpoint: Endpoint<Req, Res>,
  request: z.input<Req>,
  opts: CallOptions,
): Promise<ApiResult<z.output<Res>>> {
  const checked = endpoint.request.safeParse(request);
  if (!checked.success) {
    const message = `Invalid ${endpoint.name} request: ${describeIssues(checked.error, "(body)", 5)}`;
    return fail({ kind: "invalid-request", message });
  }
  if (endpoint.authenticated && !opts.apiKey) {
    return fail({ kind: "invalid-request", message: `The ${endpoint.name} request needs the appliance key` });
  }

  let url: URL;
  try {
    url = apiUrl(opts.apiEndpoint, endpoint.path(checked.data));
  } catch (err) {
    const message = err instanceof TypeError && err.message.startsWith("API endpoint") ? err.message : undefined;
    const detail = message ?? `invalid API endpoint "${opts.apiEndpoint}"`;
    return fail({ kind: "network", message: TRANSPORT_ERRORS.connect, detail });
  }

  const raw = await send(endpoint, url, endpoint.method === "POST" ? checked.data : undefined, opts);
  if ("kind" in raw) return fail(raw);
  return readAnswer(endpoint, raw);
}

async function send(
  endpoint: Endpoint<z.ZodType, z.ZodType>,
  url: URL,
  body: unknown,
  opts: CallOptions,
): Promise<RawAnswer | ApiFailure> {
  const timeoutMs = Number.isFinite(opts.timeoutMs) ? (opts.timeoutMs as number) : DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(Math.min(MAX_TIMEOUT_MS, Math.max(0, Math.round(timeoutMs))));
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (endpoint.authenticated && opts.apiKey !== undefined) headers.authorization = `Bearer ${opts.apiKey}`;
  try {
    const res = await fetch(url, {
      method: endpoint.method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // Never follow a redirect: it would turn a POST into a GET, or carry the key to another host.
      redirect: "manual",
      signal,
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      location: res.headers.get("location"),
      text: await res.text(), // the timeout covers the body too
    };
  } catch (err) {
    if (opts.signal?.aborted) return { kind: "aborted", message: "Request cancelled" };
    if (timeout.aborted) return { kind: "timeout", message: TRANSPORT_ERRORS.timeout };
    return { kind: "network", message: TRANSPORT_ERRORS.connect, detail: networkDetail(err) };
  }
}

function readAnswer<Res extends z.ZodType>(
  endpoint: Endpoint<z.ZodType, Res>,
  answer: RawAnswer,
): ApiResult<z.output<Res>> {
  const { status } = answer;
  let body: unknown;
  let isJson = true;
  try {
    body = JSON.parse(answer.text);
  } catch {
    isJson = false;
  }

  if (status >= 300 && status < 400) {
    const where = answer.location ? ` to ${answer.location}` : "";
    const message = `Server redirected${where} (HTTP ${status}); set the API endpoint to the final address`;
    return fail({ kind: "invalid-response", status, message });
  }

  if (status !== (endpoint.successStatus ?? 200)) {
    const serverMessage = isJson ? ErrorResponse.safeParse(body).data?.error : undefined;
    const message = endpoint.statusMessages?.[status] ?? serverMessage ?? `Server answered HTTP ${status}`;
    const failure: ApiFailure = { kind: "http", status, message };
    const seconds = parseRetryAfter(answer.retryAfter);
    if (seconds !== undefined) failure.retryAfterSeconds = seconds;
    return fail(failure);
  }

  if (!isJson) {
    return fail({ kind: "invalid-response", status, message: "Unexpected response from server: not JSON" });
  }
  const parsed = endpoint.response.safeParse(body);
  if (!parsed.success) {
    const message = `Unexpected response from server: ${describeIssues(parsed.error, "(body)", 5)}`;
    return fail({ kind: "invalid-response", status, message });
  }
  return { ok: true, data: parsed.data };
}
