/**
 * The product's own route handlers behind a real node:http server on 127.0.0.1, for tests that run the real
 * appliance code against the real server side without a Next build: each request becomes a web Request, goes
 * to the route module's exported handler with its path parameters, and the Response is written back.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { callRoute } from "./factories";

type Handler = Parameters<typeof callRoute>[0];

export interface RouteEntry {
  method: "GET" | "POST";
  /** A path with :name parameters, e.g. /api/sites/:siteId/domain-credentials. */
  path: string;
  handler: Handler;
}

export interface RouteServer {
  url: string;
  /** Every request served: method, path and status. */
  served: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

function matcher(path: string): RegExp {
  const pattern = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, "(?<$1>[^/]+)");
  return new RegExp(`^${pattern}$`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startRouteServer(routes: RouteEntry[]): Promise<RouteServer> {
  const table = routes.map((r) => ({ ...r, re: matcher(r.path) }));
  const served: RouteServer["served"] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
      for (const route of table) {
        const m = route.re.exec(url.pathname);
        if (!m || route.method !== req.method) continue;
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === "string") headers.set(name, value);
        }
        const response = await callRoute(
          route.handler,
          new Request(url, { method: req.method, headers, ...(body ? { body: new Uint8Array(body) } : {}) }),
          { ...m.groups },
        );
        const text = await response.text();
        served.push({ method: req.method, path: url.pathname, status: response.status });
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
        res.end(text);
        return;
      }
      served.push({ method: req.method ?? "", path: url.pathname, status: 404 });
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found."}');
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
