/**
 * Rate limit against provision-code guessing, shared by every web instance through Redis. Per client
 * IP, answers of "Invalid provision code" (404) on validate and claim are counted; after MAX_MISSES
 * in WINDOW_S every further validate/claim from that IP gets 429 until the window (which starts at the
 * first miss) passes. Other outcomes (400, 409, 410, success) are not counted.
 * If Redis is unreachable the limiter lets requests through and logs it: a 16-character code from a
 * CSPRNG cannot be guessed in the meantime, and provisioning a clinic should not stop.
 */
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { redis } from "@/server/redis";

export const MAX_MISSES = 20;
export const WINDOW_S = 600;

const keyFor = (ip: string | null) => `provision-miss:${ip ?? "unknown"}`;

async function assertNotBlocked(ip: string | null): Promise<void> {
  try {
    const [count, ttl] = await redis()
      .multi()
      .get(keyFor(ip))
      .ttl(keyFor(ip))
      .exec()
      .then((r) => r?.map((x) => x[1]) ?? []);
    if (Number(count ?? 0) >= MAX_MISSES) {
      const retryAfter = Math.max(1, Number(ttl ?? WINDOW_S));
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `Too many invalid provision codes from this address. Try again in ${retryAfter} seconds.`,
        { "retry-after": String(retryAfter) },
      );
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    logger().error({ err: (err as Error).message }, "provision rate limiter unavailable; allowing request");
  }
}

async function countMiss(ip: string | null): Promise<void> {
  try {
    const key = keyFor(ip);
    // SET NX EX starts the window at the first miss; INCR counts within it.
    await redis().multi().set(key, 0, "EX", WINDOW_S, "NX").incr(key).exec();
  } catch (err) {
    logger().error({ err: (err as Error).message }, "provision rate limiter unavailable; miss not counted");
  }
}

/** Runs a validate/claim under the limiter. */
export async function withGuessLimit<T>(ip: string | null, fn: () => Promise<T>): Promise<T> {
  await assertNotBlocked(ip);
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") await countMiss(ip);
    throw err;
  }
}
