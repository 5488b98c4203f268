/** Integration tests: a fresh database with all migrations applied, once per run. */
import pg from "pg";
import { ensureDatabase, ensureRedis, migrate } from "@/scripts/lib/services";
import { TEST_DATABASE_URL, testEnv } from "./test-env";

export default async function setup(): Promise<void> {
  await ensureRedis(testEnv.REDIS_URL);
  const admin = new URL(TEST_DATABASE_URL);
  const name = admin.pathname.slice(1);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  await ensureDatabase(TEST_DATABASE_URL);
  migrate(TEST_DATABASE_URL, true);
}
