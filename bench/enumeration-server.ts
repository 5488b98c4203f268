/**
 * Central Command's side of bench/enumeration, in its own process: the product's route handlers for what an
 * enumerating appliance calls (the domain credential, the results, a failure), behind the node:http server the
 * integration tests use (tests/support/route-server.ts: the same handler modules Next serves, without a build).
 * Prints `{"url": …}` on stdout once it listens; SIGTERM stops it.
 *   node --import tsx bench/enumeration-server.ts
 */
import * as enumerationFailedRoute from "@/app/api/appliances/enumeration-failed/route";
import * as enumerationRoute from "@/app/api/appliances/enumeration-results/route";
import * as domainCredsRoute from "@/app/api/sites/[siteId]/domain-credentials/route";
import { disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { startRouteServer } from "../tests/support/route-server";

const server = await startRouteServer([
  { method: "GET", path: "/api/sites/:siteId/domain-credentials", handler: domainCredsRoute.GET },
  { method: "POST", path: "/api/appliances/enumeration-results", handler: enumerationRoute.POST },
  { method: "POST", path: "/api/appliances/enumeration-failed", handler: enumerationFailedRoute.POST },
]);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

process.once("SIGTERM", () => {
  void (async () => {
    await server.close();
    await closePgPool();
    await disconnectDb();
    process.exit(0);
  })();
});
