import type { NextConfig } from "next";
import { API_CSP, BASE_SECURITY_HEADERS } from "./server/http/security-headers";

const baseHeaders = Object.entries(BASE_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // Load these from node_modules at run time instead of bundling them.
  serverExternalPackages: [
    "bullmq",
    "pino",
    "@node-rs/argon2",
    "@bull-board/api",
    "@bull-board/ui",
    "@bull-board/hono",
  ],
  poweredByHeader: false,
  typescript: { tsconfigPath: "tsconfig.json" },
  // Pages and API answers get their headers (and the page CSP nonce) from proxy.ts; these cover what the
  // proxy skips (static assets), and repeat the base headers everywhere (same values).
  async headers() {
    return [
      { source: "/:path*", headers: baseHeaders },
      { source: "/_next/:path*", headers: [{ key: "content-security-policy", value: API_CSP }] },
    ];
  },
  experimental: {
    // The proxy makes Next buffer request bodies up to this size and silently cut them there. One byte
    // over the largest route limit (server/http/body.ts) keeps route()'s 413 for every bigger body.
    proxyClientMaxBodySize: 8 * 1024 * 1024 + 1,
  },
};

export default nextConfig;
