/**
 * A loopback HTTP proxy that loses what a test tells it to, in front of a real server: for each request the
 * test's `policy` picks
 *  - "pass": forward it and return the answer;
 *  - "drop-answer": forward it, wait for the server's whole answer (so the server HAS processed the request),
 *    then destroy the client's connection without a byte of it: the client cannot tell whether it arrived;
 *  - "unavailable": answer 503 `{error}` without forwarding (what Central Command answers while its Redis or
 *    database is down), so a test need not stop a shared service;
 *  - "hold": never forward, never answer (a request in flight when the client dies).
 * Every request is logged with the mode applied and, when forwarded, the server's status.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type ProxyMode = "pass" | "drop-answer" | "unavailable" | "hold";

export interface ProxiedRequest {
  method: string;
  path: string;
  mode: ProxyMode;
  /** The server's status, for a forwarded request once its answer arrived. */
  upstreamStatus?: number;
}

export interface LossyProxy {
  url: string;
  /** Decides the fate of each request; "pass" by default. Replace it at any time. */
  policy: (req: { method: string; path: string }) => ProxyMode;
  log: ProxiedRequest[];
  /** The log's requests to one path. */
  to(path: string): ProxiedRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host, "content-length": String(body.length) },
      },
      (res) => {
        readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
      },
    );
    out.on("error", reject);
    out.end(body);
  });
}

export async function startLossyProxy(upstreamUrl: string): Promise<LossyProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const proxy: LossyProxy = {
    url: "",
    policy: () => "pass",
    log: [],
    to: (path) => proxy.log.filter((r) => r.path === path),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const path = new URL(req.url ?? "/", "http://proxy").pathname;
    const method = req.method ?? "";
    const entry: ProxiedRequest = { method, path, mode: proxy.policy({ method, path }) };
    proxy.log.push(entry);
    if (entry.mode === "hold") return;
    if (entry.mode === "unavailable") {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Central Command is temporarily unavailable. Try again shortly." }));
      return;
    }
    const answer = await forward(upstream, req, body);
    entry.upstreamStatus = answer.status;
    if (entry.mode === "drop-answer") {
      req.socket.destroy();
      return;
    }
    const headers = { ...answer.headers };
    delete headers["transfer-encoding"];
    headers["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end('{"error":"proxy: upstream failed"}');
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
