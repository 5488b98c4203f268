// Any /api path no other route matches: a JSON 404 instead of Next's HTML page.
import { errorResponse } from "@/server/http/respond";

export const dynamic = "force-dynamic";

const notFound = (req: Request) =>
  Promise.resolve(errorResponse(404, `No API endpoint at ${req.method} ${new URL(req.url).pathname}.`));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
