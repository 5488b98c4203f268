import type { HealthResponse } from "@/server/contracts";
import type { Db } from "@/server/db";
import { pingRedis } from "@/server/redis";

async function pingDb(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    await Promise.race([db.$queryRaw`SELECT 1`, deadline]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Checks PostgreSQL and Redis concurrently, each with a deadline, so a dead dependency never hangs the probe. */
export async function checkHealth(db: Db, redisUrl?: string, timeoutMs = 1_500): Promise<HealthResponse> {
  const [dbOk, redisOk] = await Promise.all([pingDb(db, timeoutMs), pingRedis(redisUrl, timeoutMs)]);
  const failing = [dbOk ? null : "PostgreSQL", redisOk ? null : "Redis"].filter(Boolean);
  return {
    status: failing.length === 0 ? "ok" : "degraded",
    db: dbOk ? "ok" : "down",
    redis: redisOk ? "ok" : "down",
    ...(failing.length > 0 ? { error: `${failing.join(" and ")} unreachable` } : {}),
  };
}
