/**
 * Graceful stop of an HTTP server: stop accepting connections, let in-flight requests finish for up to
 * `timeoutMs`, then cut whatever is left. Keep-alive connections are closed as soon as they are idle (a
 * request that arrives on one meanwhile is still answered, with `Connection: close`). Resolves with whether
 * every request finished in time.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export function closeGracefully(server: Server, timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    const onRequest = (_req: IncomingMessage, res: ServerResponse) => res.setHeader("connection", "close");
    server.prependListener("request", onRequest);
    // A busy keep-alive connection becomes idle when its response ends; close it then.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const finish = (drained: boolean) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      server.off("request", onRequest);
      resolve(drained);
    };
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish(false);
    }, timeoutMs);
    server.close(() => finish(true));
    server.closeIdleConnections();
  });
}
