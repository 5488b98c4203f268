import { ZodError } from "zod";
import { AppError, INTERNAL_ERROR_MESSAGE } from "@/server/errors";
import { logger } from "@/server/logger";
import { formatZodIssues } from "./zod-message";

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse({ error: message }, status, headers);
}

/** The single place where thrown errors become HTTP answers. Unknown errors are logged, never echoed. */
export function toErrorResponse(err: unknown, context: { method: string; path: string; requestId: string }): Response {
  if (err instanceof AppError) {
    return errorResponse(err.status, err.message, { ...err.headers, "x-request-id": context.requestId });
  }
  if (err instanceof ZodError) {
    return errorResponse(400, formatZodIssues(err.issues), { "x-request-id": context.requestId });
  }
  logger().error({ err, ...context }, "unhandled error in route handler");
  return errorResponse(500, INTERNAL_ERROR_MESSAGE, { "x-request-id": context.requestId });
}
