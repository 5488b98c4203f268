import { defineConfig } from "prisma/config";
import { migrationAdapterFactory } from "./prisma/migration-adapter";

// schema.prisma reads DATABASE_URL too; default it to the local database, as server/env.ts does.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/osiriscare";
const url = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    return migrationAdapterFactory(url);
  },
});
