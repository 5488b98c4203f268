/**
 * Next's proxy (Next 16's name for middleware), on every request but static assets:
 * - security headers, with a fresh CSP nonce for each page (Next reads the nonce from the request's
 *   Content-Security-Policy header and puts it on its scripts; the root layout reads NONCE_HEADER);
 * - the client-IP header survives only with serve.ts's proof, so a bare `next start` (or a client that
 *   sends the header itself) cannot choose the IP the limiters and the audit log see;
 * - the request path for sign-in's return path.
 */
import { randomBytes } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { getEnv } from "@/server/env";
import { CLIENT_IP_HEADER, CLIENT_IP_PROOF_HEADER, PATH_HEADER, verifiedClientIp } from "@/server/http/client-ip";
import {
  API_CSP,
  BASE_SECURITY_HEADERS,
  cspKindFor,
  HSTS_HEADER,
  NONCE_HEADER,
  pageCsp,
  QUEUE_BOARD_CSP,
} from "@/server/http/security-headers";

function publicUrlIsTls(): boolean {
  try {
    return getEnv().PUBLIC_URL.startsWith("https://");
  } catch {
    return false; // no environment yet: the page itself will say so
  }
}

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  const ip = verifiedClientIp(headers.get(CLIENT_IP_HEADER), headers.get(CLIENT_IP_PROOF_HEADER));
  headers.delete(CLIENT_IP_PROOF_HEADER);
  if (ip) headers.set(CLIENT_IP_HEADER, ip);
  else headers.delete(CLIENT_IP_HEADER);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);

  let csp: string;
  const kind = cspKindFor(request.nextUrl.pathname);
  if (kind === "page") {
    const nonce = randomBytes(18).toString("base64");
    csp = pageCsp(nonce, process.env.NODE_ENV === "development");
    headers.set("content-security-policy", csp);
    headers.set(NONCE_HEADER, nonce);
  } else {
    csp = kind === "api" ? API_CSP : QUEUE_BOARD_CSP;
    headers.delete("content-security-policy");
    headers.delete(NONCE_HEADER);
  }

  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) response.headers.set(name, value);
  if (publicUrlIsTls()) response.headers.set(...HSTS_HEADER);
  return response;
}

export const config = {
  // Static assets get their headers from next.config.ts; everything else, API included, comes here.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
