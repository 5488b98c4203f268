/**
 * The web server: Next.js behind a plain node:http server, which (1) refuses oversized bodies before
 * anything else, (2) takes the client IP from the socket (or a trusted proxy's X-Forwarded-For) and
 * hands it to the app in a header clients cannot forge, and (3) passes the request path for pages.
 * (4) sets the base security headers (and HSTS over TLS) on every answer. Next's proxy (proxy.ts) can't
 * see the socket: it keeps the client-IP header only with this process's proof, and adds the CSP.
 * This is the only way the product is served (`npm start`, `npm run web`, the e2e server).
 *   node --import tsx scripts/serve.ts [--dev] [-p PORT] [-H HOST]
 */
import { createServer, type IncomingMessage } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { POST as checkinPOST } from "@/app/api/appliances/checkin/route";
import { runShutdownHooks } from "@/server/domain/checkin/batcher";
import { getEnv } from "@/server/env";
import { bodyLimitFor } from "@/server/http/body";
import {
  CLIENT_IP_HEADER,
  CLIENT_IP_PROOF_HEADER,
  enableClientIpProof,
  isTrustedProxy,
  PATH_HEADER,
  parseTrustedProxies,
  proveClientIp,
  resolveClientIp,
} from "@/server/http/client-ip";
import { serveWithHandler } from "@/server/http/node-bridge";
import { API_CSP, BASE_SECURITY_HEADERS, HSTS_HEADER } from "@/server/http/security-headers";
import { logger } from "@/server/logger";
import { closeGracefully } from "./lib/graceful-close";

const { values } = parseArgs({
  options: { dev: { type: "boolean" }, port: { type: "string", short: "p" }, host: { type: "string", short: "H" } },
});
const port = Number(values.port ?? 3000);
const hostname = values.host ?? "127.0.0.1";
const trusted = parseTrustedProxies(getEnv().TRUSTED_PROXIES);
const publicUrlIsTls = getEnv().PUBLIC_URL.startsWith("https://");
// The proxy (proxy.ts) believes only client IPs this process signs.
enableClientIpProof();

/** Reached over TLS: a public https URL, or a trusted proxy that says the client used https. */
function isTls(req: IncomingMessage): boolean {
  if (publicUrlIsTls) return true;
  if (!isTrustedProxy(req.socket.remoteAddress, trusted)) return false;
  const proto = req.headers["x-forwarded-proto"];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(",")[0]?.trim() === "https";
}

const app = next({ dev: values.dev === true, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const MAX_DRAINED_BODY_BYTES = 16 * 1024 * 1024;

const server = createServer((req, res) => {
  // Every answer, whoever writes it (Next, the check-in below, the 413), carries these; Next's proxy
  // adds the CSP for what Next serves.
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
  if (isTls(req)) res.setHeader(...HSTS_HEADER);
  // Oversized bodies are refused before routing, auth or parsing (route() enforces the same limit
  // while streaming, for bodies sent without Content-Length).
  const declared = Number(req.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > bodyLimitFor(req.url ?? "/")) {
    // A body of reasonable size is read and discarded, so the client, still sending, gets the 413 instead
    // of a reset connection (EPIPE); a larger one is cut off by closing the connection.
    const drain = declared <= MAX_DRAINED_BODY_BYTES;
    res.writeHead(413, {
      "content-type": "application/json; charset=utf-8",
      "content-security-policy": API_CSP,
      ...(drain ? {} : { connection: "close" }),
    });
    res.end(
      JSON.stringify({ error: `Request body is larger than ${Math.floor(bodyLimitFor(req.url ?? "/") / 1024)} KiB.` }),
    );
    req.resume();
    return;
  }
  const ip = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
  // Always overwritten: whatever a client sent in these headers is gone.
  delete req.headers[CLIENT_IP_HEADER];
  delete req.headers[CLIENT_IP_PROOF_HEADER];
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
  // The appliance check-in (every appliance, every minute) skips Next's pipeline: same handler, same
  // plumbing and service function, served directly.
  if (req.method === "POST" && req.url === "/api/appliances/checkin") {
    res.setHeader("content-security-policy", API_CSP);
    serveWithHandler(checkinPOST, req, res).catch((err: unknown) => {
      logger().error({ err, method: req.method, path: req.url }, "check-in failed outside its handler");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Something went wrong on our side. Try again." }));
    });
    return;
  }
  // For Next: the proof that lets the client IP past the proxy, and the path for sign-in's return.
  if (ip) req.headers[CLIENT_IP_PROOF_HEADER] = proveClientIp(ip) ?? "";
  req.headers[PATH_HEADER] = req.url ?? "/";
  void handle(req, res);
});
server.listen(port, hostname, () => {
  process.stderr.write(`▲ Central Command listening on http://${hostname}:${port}${values.dev ? " (dev)" : ""}\n`);
});

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (up to 10 s; idle keep-alive connections are
 * closed at once), then flush every buffer (last-seen: each flush also waits for one
 * already in flight and writes what was added meanwhile), then exit.
 */
let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`Central Command stopping (${signal}): finishing requests in flight…\n`);
  void closeGracefully(server, 10_000)
    .then((drained) => {
      if (!drained) process.stderr.write("Requests still running after 10 s were cut off.\n");
      return runShutdownHooks();
    })
    .finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
