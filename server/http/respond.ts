import { ZodError } from "zod";
import { AppError, INTERNAL_ERROR_MESSAGE } from "@/server/errors";
import { logger } from "@/server/logger";
import { formatZodIssues } from "./zod-message";

/** An HTTP answer as plain data: route() builds these, and each host (Next, node:http) writes them out. */
export type HttpResult = { status: number; headers: Record<string, string>; body: string };

export function jsonResult(body: unknown, status = 200, headers: Record<string, string> = {}): HttpResult {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    // undefined (a handler with nothing to say) is an empty body on every host.
    body: JSON.stringify(body) ?? "",
  };
}

export function toResponse(result: HttpResult): Response {
  return new Response(result.body, { status: result.status, headers: result.headers });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return toResponse(jsonResult(body, status, headers));
}

export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse({ error: message }, status, headers);
}

/** The single place where thrown errors become HTTP answers. Unknown errors are logged, never echoed. */
export function toErrorResult(err: unknown, context: { method: string; path: string; requestId: string }): HttpResult {
  const id = { "x-request-id": context.requestId };
  if (err instanceof AppError) return jsonResult({ error: err.message }, err.status, { ...err.headers, ...id });
  if (err instanceof ZodError) return jsonResult({ error: formatZodIssues(err.issues) }, 400, id);
  logger().error({ err, ...context }, "unhandled error in route handler");
  return jsonResult({ error: INTERNAL_ERROR_MESSAGE }, 500, id);
}
