import type { HealthResponse } from "@/server/contracts";
import type { Db } from "@/server/db";
import { pingRedis, redis } from "@/server/redis";

async function within(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    await Promise.race([probe(), deadline]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks PostgreSQL and Redis concurrently, each with a deadline, so a dead dependency never hangs the
 * probe. Redis is probed on the process's shared connection, or on a throw-away one for an explicit URL.
 */
export async function checkHealth(db: Db, redisUrl?: string, timeoutMs = 1_500): Promise<HealthResponse> {
  const [dbOk, redisOk] = await Promise.all([
    within(() => db.$queryRaw`SELECT 1`, timeoutMs),
    redisUrl ? pingRedis(redisUrl, timeoutMs) : within(() => redis().ping(), timeoutMs),
  ]);
  const failing = [dbOk ? null : "PostgreSQL", redisOk ? null : "Redis"].filter(Boolean);
  return {
    status: failing.length === 0 ? "ok" : "degraded",
    db: dbOk ? "ok" : "down",
    redis: redisOk ? "ok" : "down",
    ...(failing.length > 0 ? { error: `${failing.join(" and ")} unreachable` } : {}),
  };
}
