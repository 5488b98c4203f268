/**
 * Runs a route() handler straight from node:http, for the few device endpoints hot enough that Next's
 * per-request pipeline (and building web Request/Response objects) would dominate their cost. The
 * handler, its auth, validation and error mapping are unchanged; only the host differs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { payloadTooLarge } from "./body";
import type { RouteHandler, RouteRequest } from "./route";

/** Reads the body natively; past the limit it stops reading and throws the 413 error. */
async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw payloadTooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
}

export async function serveWithHandler(handler: RouteHandler, req: IncomingMessage, res: ServerResponse) {
  const request: RouteRequest = {
    method: req.method ?? "GET",
    path: (req.url ?? "/").split("?")[0] ?? "/",
    header: (name) => {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    text: (limit) => readText(req, limit),
  };
  const result = await handler.serve(request, {});
  const body = Buffer.from(result.body, "utf8");
  res.writeHead(result.status, { ...result.headers, "content-length": String(body.length) });
  res.end(body);
  // A handler that answered before reading everything (e.g. 401, 413) must not leave the socket stuck.
  if (!req.readableEnded) req.resume();
}
