import type { NextConfig } from "next";

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
};

export default nextConfig;
