/**
 * Runs before every request. For /api: oversized bodies are refused (413) before routing, auth or parsing.
 * Route handlers enforce the same limit while streaming, for bodies sent without Content-Length.
 */
import { type NextRequest, NextResponse } from "next/server";

const DEFAULT_LIMIT = 1024 * 1024;
/** Routes that accept more than 1 MiB declare it here and in their route() options. */
const LIMITS: Array<[prefix: string, bytes: number]> = [];

export function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  if (!path.startsWith("/api/")) {
    // Pages: pass the path on, so a sign-in redirect can come back to it.
    const headers = new Headers(req.headers);
    headers.set("x-osiris-path", `${path}${req.nextUrl.search}`);
    return NextResponse.next({ request: { headers } });
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  const limit = LIMITS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? DEFAULT_LIMIT;
  if (Number.isFinite(declared) && declared > limit) {
    return NextResponse.json(
      { error: `Request body is larger than ${Math.floor(limit / 1024)} KiB.` },
      { status: 413, headers: { connection: "close" } },
    );
  }
  return NextResponse.next();
}

export const config = { matcher: ["/api/:path*", "/((?!_next/|favicon.ico|admin/queues/static/).*)"] };
