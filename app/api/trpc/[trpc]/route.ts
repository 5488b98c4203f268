// /api/trpc/* – the partner UI's API. Answers carry Server-Timing (server/http/server-timing.ts), so the
// browser's devtools show how long the server took for a page's lists.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { SERVER_TIMING_HEADER, startServerTiming } from "@/server/http/server-timing";

export const dynamic = "force-dynamic";

const handler = (req: Request) => {
  const timing = startServerTiming();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ req }),
    responseMeta: () => ({ headers: { [SERVER_TIMING_HEADER]: timing.header() } }),
  });
};

export { handler as GET, handler as POST };
