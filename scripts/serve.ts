/**
 * The web server: Next.js behind a plain node:http server, so the client IP is taken from the socket
 * (or from a trusted proxy's X-Forwarded-For) and handed to the app in a header clients cannot forge.
 *   node --import tsx scripts/serve.ts [--dev] [-p PORT] [-H HOST]
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { runShutdownHooks } from "@/server/domain/checkin/batcher";
import { getEnv } from "@/server/env";
import { CLIENT_IP_HEADER, parseTrustedProxies, resolveClientIp } from "@/server/http/client-ip";

const { values } = parseArgs({
  options: { dev: { type: "boolean" }, port: { type: "string", short: "p" }, host: { type: "string", short: "H" } },
});
const port = Number(values.port ?? 3000);
const hostname = values.host ?? "127.0.0.1";
const trusted = parseTrustedProxies(getEnv().TRUSTED_PROXIES);

const app = next({ dev: values.dev === true, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  const ip = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
  else delete req.headers[CLIENT_IP_HEADER];
  void handle(req, res);
});
server.listen(port, hostname, () => {
  process.stderr.write(`▲ Central Command listening on http://${hostname}:${port}${values.dev ? " (dev)" : ""}\n`);
});

// Flush buffered writes (last-seen, credential releases) before exiting.
const stop = () => {
  server.close();
  void runShutdownHooks().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
