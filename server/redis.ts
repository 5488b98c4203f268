import { Redis, type RedisOptions } from "ioredis";
import { getEnv } from "./env";

/**
 * Connections for BullMQ. Workers need `maxRetriesPerRequest: null` (blocking commands);
 * producers fail fast (`enableOfflineQueue: false`) so a web request never hangs on a dead Redis.
 */
export function createRedis(kind: "worker" | "producer", url = getEnv().REDIS_URL): Redis {
  const options: RedisOptions =
    kind === "worker"
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  return new Redis(url, { ...options, lazyConnect: kind === "producer" });
}

/** Pings Redis on a throw-away connection with a hard deadline; never hangs. */
export async function pingRedis(url = getEnv().REDIS_URL, timeoutMs = 1_500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

let shared: Redis | undefined;

/** The web process's shared Redis connection for app data (rate limits); fails fast when Redis is down. */
export function redis(): Redis {
  if (!shared) {
    // Commands may wait for the (re)connection, but never longer than commandTimeout.
    shared = new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 1_500, connectTimeout: 2_000 });
    shared.on("error", () => {}); // surfaced by the failing command; health reports it
  }
  return shared;
}

export async function closeRedis(): Promise<void> {
  shared?.disconnect();
  shared = undefined;
}
