/**
 * The one way to write a REST route handler. Order of checks: body size (413) first, then the caller's
 * auth (401/403), then params, query and body validation (404/400), then the handler. Handlers return plain
 * data (JSON 200, or `status`) or a Response. Every error becomes JSON `{ "error": "..." }`.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { db } from "@/server/db";
import { type AppliancePrincipal, authenticateAppliance } from "@/server/domain/appliances/authenticate-appliance";
import { type CheckinContext, loadCheckinContext } from "@/server/domain/checkin/load-checkin-context";
import {
  authenticatePartnerToken,
  type PartnerTokenPrincipal,
} from "@/server/domain/tokens/authenticate-partner-token";
import { badRequest, notFound } from "@/server/errors";
import type { TokenScope } from "@/server/generated/prisma/client";
import { assertDeclaredSize, DEFAULT_MAX_BODY_BYTES, parseJsonBody, readRequestText } from "./body";
import { CLIENT_IP_HEADER } from "./client-ip";
import { authenticatePartner, isPartnerTokenBearer, type PartnerPrincipal } from "./partner-auth";
import { type HttpResult, jsonResult, toErrorResult, toResponse } from "./respond";
import { SERVER_TIMING_HEADER, startServerTiming } from "./server-timing";
import { formatZodIssues } from "./zod-message";

/**
 * Who may call: anyone, a partner API token, or an appliance's own key ("appliance-checkin" is the
 * check-in's variant, which loads everything the check-in needs in the same round trip).
 *
 * A partner token's scope is checked here, from the request's method, so a new route is safe by default:
 * GET and HEAD accept `read` and `full` tokens; every other method needs a `full` token (a `read` token
 * gets 403). A route that changes nothing under another method may lower that with `tokenScope: "read"`.
 * "partner" also accepts a partner's session cookie (partner-auth.ts); "appliance-or-partner" takes an
 * appliance key, or else what "partner" takes (a bearer with the partner-token prefix is a partner token).
 */
type AuthKind = "public" | "partner-token" | "partner" | "appliance-or-partner" | "appliance" | "appliance-checkin";
type Principal<A extends AuthKind> = A extends "partner-token"
  ? PartnerTokenPrincipal
  : A extends "partner"
    ? PartnerPrincipal
    : A extends "appliance-or-partner"
      ? AppliancePrincipal | PartnerPrincipal
      : A extends "appliance"
        ? AppliancePrincipal
        : A extends "appliance-checkin"
          ? CheckinContext
          : null;

type NextRouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * What route() reads of a request. Next's Request is adapted to it, and so is node:http's
 * IncomingMessage (node-bridge.ts), so one handler, with the same auth, validation and error mapping,
 * runs under either host without building web Request/Response objects on the hot path.
 */
export interface RouteRequest {
  method: string;
  path: string;
  /** The query string, without the "?" ("" when there is none). */
  query: string;
  header(name: string): string | null;
  /** The body as text; past `limit` bytes it throws the 413 error. */
  text(limit: number): Promise<string>;
}

/** A Next route handler, which also carries its host-neutral core as `serve`. */
export type RouteHandler = ((req: Request, ctx: NextRouteContext) => Promise<Response>) & {
  serve: (req: RouteRequest, params: Record<string, string | string[] | undefined>) => Promise<HttpResult>;
};

type RouteOptions<A extends AuthKind, P extends z.ZodType, B extends z.ZodType, Q extends z.ZodType> = {
  auth: A;
  /** partner-token only: the scope needed; default "read" for GET/HEAD and "full" for anything else. */
  tokenScope?: TokenScope;
  params?: P;
  body?: B;
  /** Query-string parameters (each name's last value, as a string; use z.coerce for numbers). */
  query?: Q;
  /** Bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Status for a successful non-Response result; default 200. */
  status?: number;
  /** Adds `Server-Timing: app;dur=…` (server-timing.ts) to the answer: for the lists people wait on. */
  serverTiming?: boolean;
};

type HandlerArgs<A extends AuthKind, P extends z.ZodType, B extends z.ZodType, Q extends z.ZodType> = {
  /** From the trusted client-IP header (see client-ip.ts); null in-process. */
  ip: string | null;
  principal: Principal<A>;
  params: z.output<P>;
  body: z.output<B>;
  query: z.output<Q>;
};

/** The scope a partner token needs for this request: reads need `read`, anything that may change state `full`. */
export function requiredTokenScope(method: string, declared?: TokenScope): TokenScope {
  if (declared) return declared;
  return method === "GET" || method === "HEAD" ? "read" : "full";
}

async function authenticate(
  kind: AuthKind,
  req: RouteRequest,
  scope: TokenScope,
): Promise<PartnerTokenPrincipal | PartnerPrincipal | AppliancePrincipal | CheckinContext | null> {
  const authorization = req.header("authorization");
  switch (kind) {
    case "public":
      return null;
    case "partner-token":
      return authenticatePartnerToken(db(), authorization, scope);
    case "partner":
      return authenticatePartner(req, scope, req.header(CLIENT_IP_HEADER));
    case "appliance-or-partner":
      return authorization && !isPartnerTokenBearer(authorization)
        ? authenticateAppliance(db(), authorization)
        : authenticatePartner(req, scope, req.header(CLIENT_IP_HEADER));
    case "appliance":
      return authenticateAppliance(db(), authorization);
    case "appliance-checkin":
      return loadCheckinContext(authorization);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Adapts Next's web Request to RouteRequest. */
function fromWebRequest(req: Request): RouteRequest {
  const url = new URL(req.url);
  return {
    method: req.method,
    path: url.pathname,
    query: url.search.slice(1),
    header: (name) => req.headers.get(name),
    text: (limit) => readRequestText(req, limit),
  };
}

/** Wraps a host-neutral core as a Next route handler that also exposes the core as `serve`. */
export function nextHandler(serve: RouteHandler["serve"]): RouteHandler {
  const handler = async (req: Request, ctx: NextRouteContext) =>
    toResponse(await serve(fromWebRequest(req), await ctx.params));
  return Object.assign(handler, { serve });
}

export function route<
  A extends AuthKind,
  P extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
>(options: RouteOptions<A, P, B, Q>, handler: (args: HandlerArgs<A, P, B, Q>) => Promise<unknown>): RouteHandler {
  return nextHandler(async (req, rawParams) => {
    const requestId = randomUUID();
    const timing = options.serverTiming ? startServerTiming() : null;
    try {
      const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      assertDeclaredSize(req.header("content-length"), limit);
      const scope = requiredTokenScope(req.method, options.tokenScope);
      const principal = (await authenticate(options.auth, req, scope)) as Principal<A>;

      let params: unknown = rawParams;
      if (options.params) {
        const parsed = options.params.safeParse(params);
        // A malformed id cannot name anything the caller owns.
        if (!parsed.success) throw notFound("Not found.");
        params = parsed.data;
      }

      let query: unknown;
      if (options.query) {
        const parsed = options.query.safeParse(Object.fromEntries(new URLSearchParams(req.query)));
        if (!parsed.success) throw badRequest(formatZodIssues(parsed.error.issues, "query"));
        query = parsed.data;
      }

      let body: unknown;
      if (options.body) {
        const raw = parseJsonBody(await req.text(limit));
        if (!isPlainObject(raw)) throw badRequest("Request body must be a JSON object.");
        const parsed = options.body.safeParse(raw);
        if (!parsed.success) throw badRequest(formatZodIssues(parsed.error.issues));
        body = parsed.data;
      }

      const ip = req.header(CLIENT_IP_HEADER);
      const result = await handler({ ip, principal, params, body, query } as HandlerArgs<A, P, B, Q>);
      // A handler that needs its own status or headers returns a Response.
      if (result instanceof Response) {
        return { status: result.status, headers: Object.fromEntries(result.headers), body: await result.text() };
      }
      const answer = jsonResult(result, options.status ?? 200, { "x-request-id": requestId });
      // Taken after serialising, so the figure is all the server did for this answer.
      if (timing) answer.headers[SERVER_TIMING_HEADER] = timing.header();
      return answer;
    } catch (err) {
      return toErrorResult(err, { method: req.method, path: req.path, requestId });
    }
  });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * Fills in every method a route file does not implement with a JSON 405, so clients never see
 * Next's empty 405. Use: `export const { GET, POST, PUT, PATCH, DELETE } = methods({ GET: route(...) })`.
 */
export function methods(handlers: Partial<Record<Method, RouteHandler>>): Record<Method, RouteHandler> {
  const allowed = METHODS.filter((m) => handlers[m]).join(", ");
  const notAllowed = nextHandler(async (req) =>
    jsonResult({ error: `Method ${req.method} is not allowed here. Use ${allowed}.` }, 405, { allow: allowed }),
  );
  return Object.fromEntries(METHODS.map((m) => [m, handlers[m] ?? notAllowed])) as Record<Method, RouteHandler>;
}
