/**
 * Failed sign-ins, counted in Redis so every web instance shares them:
 * - per account: ACCOUNT_MAX_FAILURES wrong passwords within ACCOUNT_WINDOW_S lock the account for
 *   ACCOUNT_LOCK_S; while locked, even the right password is refused. A successful sign-in clears the count.
 * - per client IP: IP_MAX_FAILURES failures within IP_WINDOW_S (the window starts at the first) refuse
 *   every sign-in from that IP, with Retry-After, until the window passes.
 * Accounts are keyed by a hash of the normalised email, known or not, so the answers do not reveal which
 * accounts exist. If Redis is unreachable the limiter lets requests through and logs it (as the
 * provision-code limiter does): argon2id still makes each guess slow, and partners can still sign in.
 */
import { createHash } from "node:crypto";
import { logger } from "@/server/logger";
import { redis } from "@/server/redis";

export const ACCOUNT_MAX_FAILURES = 5;
export const ACCOUNT_WINDOW_S = 15 * 60;
export const ACCOUNT_LOCK_S = 15 * 60;
export const IP_MAX_FAILURES = 30;
export const IP_WINDOW_S = 10 * 60;

export type SignInBlock = { kind: "ip" | "account"; retryAfterS: number };

function accountId(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);
}
const failKey = (email: string) => `signin:fail:acct:${accountId(email)}`;
const lockKey = (email: string) => `signin:lock:acct:${accountId(email)}`;
const ipKey = (ip: string | null) => `signin:fail:ip:${ip ?? "unknown"}`;

/** Why this sign-in must be refused before its password is even checked, or null. */
export async function findSignInBlock(email: string, ip: string | null): Promise<SignInBlock | null> {
  try {
    const replies = await redis().multi().get(ipKey(ip)).ttl(ipKey(ip)).ttl(lockKey(email)).exec();
    const [ipCount, ipTtl, lockTtl] = (replies ?? []).map(([, value]) => Number(value ?? 0));
    if ((ipCount ?? 0) >= IP_MAX_FAILURES) return { kind: "ip", retryAfterS: Math.max(1, ipTtl ?? IP_WINDOW_S) };
    if ((lockTtl ?? 0) > 0) return { kind: "account", retryAfterS: lockTtl ?? ACCOUNT_LOCK_S };
    return null;
  } catch (err) {
    logger().error({ err: (err as Error).message }, "sign-in limiter unavailable; allowing the attempt");
    return null;
  }
}

/** Counts a failure against the IP, and (for a password that was checked) against the account. */
export async function recordSignInFailure(
  email: string,
  ip: string | null,
  opts: { countAccount: boolean },
): Promise<{ lockedNow: boolean }> {
  try {
    const tx = redis().multi().set(ipKey(ip), 0, "EX", IP_WINDOW_S, "NX").incr(ipKey(ip));
    if (opts.countAccount) tx.set(failKey(email), 0, "EX", ACCOUNT_WINDOW_S, "NX").incr(failKey(email));
    const replies = await tx.exec();
    const failures = opts.countAccount ? Number(replies?.[3]?.[1] ?? 0) : 0;
    if (failures < ACCOUNT_MAX_FAILURES) return { lockedNow: false };
    // The lock runs from the failure that set it; counting starts afresh once it ends.
    await redis().multi().set(lockKey(email), 1, "EX", ACCOUNT_LOCK_S, "NX").del(failKey(email)).exec();
    return { lockedNow: true };
  } catch (err) {
    logger().error({ err: (err as Error).message }, "sign-in limiter unavailable; failure not counted");
    return { lockedNow: false };
  }
}

export async function clearAccountFailures(email: string): Promise<void> {
  try {
    await redis().del(failKey(email));
  } catch (err) {
    logger().error({ err: (err as Error).message }, "sign-in limiter unavailable; failures not cleared");
  }
}

/**
 * better-auth's own request limiter (requests per IP and path, all auth endpoints), stored in Redis
 * instead of each process's memory. Same window semantics: fixed, from the first request.
 */
export const redisRateLimitStorage = {
  async consume(key: string, rule: { window: number; max: number }) {
    try {
      const k = `signin:rl:${key}`;
      const replies = await redis().multi().set(k, 0, "EX", rule.window, "NX").incr(k).ttl(k).exec();
      const count = Number(replies?.[1]?.[1] ?? 0);
      const ttl = Number(replies?.[2]?.[1] ?? rule.window);
      return count <= rule.max ? { allowed: true, retryAfter: null } : { allowed: false, retryAfter: Math.max(1, ttl) };
    } catch (err) {
      logger().error({ err: (err as Error).message }, "auth rate limiter unavailable; allowing the request");
      return { allowed: true, retryAfter: null };
    }
  },
};

/** Lifts an account's lock and forgets its failures (a partner admin's "Unlock"). Throws if Redis is down. */
export async function unlockAccount(email: string): Promise<void> {
  await redis().del(lockKey(email), failKey(email));
}
