import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "./env";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { __osirisDb?: PrismaClient };

/** One client per process (Next's dev server reloads modules, so it is kept on globalThis). */
export function db(): PrismaClient {
  globalForDb.__osirisDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: getEnv().DATABASE_URL, max: 10, connectionTimeoutMillis: 5_000 }),
  });
  return globalForDb.__osirisDb;
}

export async function disconnectDb(): Promise<void> {
  const client = globalForDb.__osirisDb;
  globalForDb.__osirisDb = undefined;
  await client?.$disconnect();
}
