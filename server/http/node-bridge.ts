/**
 * Runs a route() handler straight from node:http, for the few device endpoints hot enough that Next's
 * per-request pipeline (and building web Request/Response objects) would dominate their cost. The
 * handler, its auth, validation and error mapping are unchanged; only the host differs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, badRequest } from "@/server/errors";
import { DEFAULT_MAX_BODY_BYTES, readLimitedText } from "./body";
import type { RouteHandler, RouteRequest } from "./route";

/**
 * Reads the body natively, within the limit. The iterator leaves the request open when reading stops at
 * the limit (`destroyOnReturn: false`), so the 413 goes out first; serveWithHandler then closes the connection.
 */
async function readText(req: IncomingMessage, limit: number): Promise<string> {
  try {
    return await readLimitedText(req.iterator({ destroyOnReturn: false }), limit);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // The client went away mid-body: nothing to answer, and nothing wrong on our side.
    throw badRequest("The request body was cut off.");
  }
}

export async function serveWithHandler(
  handler: RouteHandler,
  req: IncomingMessage,
  res: ServerResponse,
  limit = DEFAULT_MAX_BODY_BYTES,
) {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const request: RouteRequest = {
    method: req.method ?? "GET",
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? "" : url.slice(q + 1),
    header: (name) => {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    text: (max) => readText(req, max),
  };
  const result = await handler.serve(request, {});
  const unread = !req.readableEnded;
  // A body left unread past the limit is not worth draining: answer, then hang up.
  const hangUp = unread && result.status === 413;
  res.writeHead(result.status, {
    ...result.headers,
    "content-length": String(Buffer.byteLength(result.body, "utf8")),
    ...(hangUp ? { connection: "close" } : {}),
  });
  // A string (not a Buffer): node:http sends it with the headers in one write.
  res.end(result.body, "utf8");
  if (hangUp) {
    res.once("finish", () => req.socket.destroy());
  } else if (unread) {
    // A body the handler did not need (e.g. it answered 401 first): drain it, but never more than the limit.
    let drained = 0;
    req.on("data", (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > limit) req.socket.destroy();
    });
    req.resume();
  }
}
