/**
 * Preflight for local runs and tests: is PostgreSQL up, is Redis up, does the database exist, are
 * migrations applied. Each failure says plainly what to run; nothing here waits more than a few seconds.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import pg from "pg";
import { pingRedis } from "@/server/redis";

export class PreflightError extends Error {}

function pgStartCommand(): string {
  let version = "15";
  try {
    version = readdirSync("/etc/postgresql")[0] ?? version;
  } catch {}
  return `pg_ctlcluster --skip-systemctl-redirect ${version} main start`;
}

export const REDIS_START_COMMAND =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

function hostPort(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith("redis") ? 6379 : 5432)}`;
}

/** Connects to the server's maintenance database and creates `database` if it is missing. */
export async function ensureDatabase(databaseUrl: string): Promise<"created" | "exists"> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new PreflightError(`Database name "${name}" must be letters, digits and _.`);
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new PreflightError(
      `PostgreSQL is not reachable at ${hostPort(databaseUrl)} (${(err as Error).message}).\n  Start it with: ${pgStartCommand()}\n  or point DATABASE_URL at a running server.`,
    );
  }
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return "exists";
    await client.query(`CREATE DATABASE "${name}"`);
    return "created";
  } finally {
    await client.end();
  }
}

export async function ensureRedis(redisUrl: string): Promise<void> {
  if (!(await pingRedis(redisUrl, 2_000))) {
    throw new PreflightError(
      `Redis is not reachable at ${hostPort(redisUrl)}.\n  Start it with: ${REDIS_START_COMMAND}\n  or point REDIS_URL at a running server.`,
    );
  }
}

/** Applies committed migrations (never generates new ones). */
export function migrate(databaseUrl: string, quiet = false): void {
  const result = spawnSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: quiet ? "pipe" : ["ignore", "inherit", "inherit"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new PreflightError(`Database migration failed.\n${result.stderr ?? ""}${result.stdout ?? ""}`);
  }
}
