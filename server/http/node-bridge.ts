/**
 * Runs a web-standard route handler (the same one Next serves) straight from node:http, for the few
 * device endpoints hot enough that Next's per-request pipeline would dominate their cost. The handler,
 * its auth, validation and error mapping are unchanged; only the host differs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_MAX_BODY_BYTES } from "./body";
import type { RouteHandler } from "./route";

export async function serveWithHandler(
  handler: RouteHandler,
  req: IncomingMessage,
  res: ServerResponse,
  limit = DEFAULT_MAX_BODY_BYTES,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  // Buffer the body natively (cheaper than a web stream); past the limit, stop reading and let the
  // handler's own size check answer 413 from the observed size.
  let requestBody: Uint8Array<ArrayBuffer> | undefined;
  if (hasBody) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        headers.set("content-length", String(size));
        break;
      }
      chunks.push(chunk);
    }
    requestBody = new Uint8Array(Buffer.concat(chunks));
  }
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: requestBody,
  });
  const response = await handler(request, { params: Promise.resolve({}) });
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    out[name] = value;
  });
  out["content-length"] = String(body.length);
  res.writeHead(response.status, out);
  res.end(body);
  // A handler that answered before reading everything (e.g. 413) must not leave the socket stuck.
  if (hasBody && !req.readableEnded) req.resume();
}
