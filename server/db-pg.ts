import pg from "pg";
import { getEnv } from "./env";

const g = globalThis as unknown as { __osirisPgPool?: pg.Pool };

/**
 * A plain pg pool for the one hot path (the appliance check-in), where a prepared statement avoids the
 * ORM's per-query compilation. Everything else uses Prisma (server/db.ts).
 */
export function pgPool(): pg.Pool {
  g.__osirisPgPool ??= new pg.Pool({
    connectionString: getEnv().DATABASE_URL,
    max: 10,
    connectionTimeoutMillis: 5_000,
  });
  return g.__osirisPgPool;
}

export async function closePgPool(): Promise<void> {
  const pool = g.__osirisPgPool;
  g.__osirisPgPool = undefined;
  await pool?.end();
}
