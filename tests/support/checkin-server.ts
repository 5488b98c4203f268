/**
 * A web process that serves only the appliance check-in, the way scripts/serve.ts serves it (the same
 * route handler, run straight from node:http through node-bridge), so process tests need no Next build.
 * Prints "listening <port>" once it accepts connections.
 *   node --import tsx tests/support/checkin-server.ts
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { POST as checkinPOST } from "@/app/api/appliances/checkin/route";
import { serveWithHandler } from "@/server/http/node-bridge";

const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/api/appliances/checkin") {
    serveWithHandler(checkinPOST, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Something went wrong on our side. Try again." }));
    });
    return;
  }
  res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found."}');
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
