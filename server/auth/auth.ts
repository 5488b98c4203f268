/**
 * Partner and platform-admin sign-in: better-auth (email + password) over our Prisma tables, with
 * argon2id password hashes, HTTP-only session cookies and no self-service sign-up (accounts are
 * created by a platform admin or a partner admin).
 */
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/server/db";
import { recordFailedSignIn, recordSignIn, recordSignOut } from "@/server/domain/audit/record-sign-in-event";
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from "@/server/domain/security/passwords";
import { getEnv } from "@/server/env";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";
import { logger } from "@/server/logger";
import {
  clearAccountFailures,
  findSignInBlock,
  recordSignInFailure,
  redisRateLimitStorage,
  type SignInBlock,
} from "./sign-in-limiter";

export function trustedOrigins(): string[] {
  const env = getEnv();
  const base = new URL(env.PUBLIC_URL);
  const origins = new Set([base.origin]);
  // The same local server is reached as localhost or 127.0.0.1; accept both.
  if (base.hostname === "127.0.0.1" || base.hostname === "localhost") {
    for (const host of ["127.0.0.1", "localhost"])
      origins.add(`${base.protocol}//${host}${base.port ? `:${base.port}` : ""}`);
  }
  for (const extra of env.TRUSTED_ORIGINS.split(",")
    .map((s) => s.trim())
    .filter(Boolean))
    origins.add(extra);
  return [...origins];
}

const SIGN_IN_PATH = "/sign-in/email";

type HookContext = { path?: string; body?: unknown; headers?: Headers };

function attempt(ctx: HookContext): { email: string; ip: string | null } {
  const body = (ctx.body ?? {}) as { email?: unknown };
  return {
    email: typeof body.email === "string" ? body.email : "",
    ip: ctx.headers?.get(CLIENT_IP_HEADER) ?? null,
  };
}

function minutes(seconds: number): string {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return `${m} minute${m === 1 ? "" : "s"}`;
}

/** 429 with Retry-After; `code` tells the sign-in page which of the two limits was hit. */
function refusal(block: SignInBlock): APIError {
  const message =
    block.kind === "account"
      ? `Too many failed sign-ins for this account. Try again in ${minutes(block.retryAfterS)} or ask your partner admin.`
      : `Too many failed sign-ins from this address. Try again in ${minutes(block.retryAfterS)}.`;
  return new APIError(
    "TOO_MANY_REQUESTS",
    { message, code: block.kind === "account" ? "ACCOUNT_LOCKED" : "TOO_MANY_FAILED_SIGN_INS" },
    { "retry-after": String(block.retryAfterS) },
  );
}

/**
 * Before a password is checked: refuse a locked account or a blocked IP (a locked account's right
 * password is refused too). Before a sign-out: audit it while the session still exists.
 */
const beforeHook = createAuthMiddleware(async (ctx) => {
  if (ctx.path === SIGN_IN_PATH) {
    const { email, ip } = attempt(ctx);
    const block = await findSignInBlock(email, ip);
    if (!block) return;
    if (block.kind === "account") {
      await recordSignInFailure(email, ip, { countAccount: false });
      await recordFailedSignIn(db(), { email, ip, reason: "account_locked" });
    }
    throw refusal(block);
  }
  if (ctx.path === "/sign-out") {
    const session = await getSessionFromCtx(ctx).catch(() => null);
    if (session) await recordSignOut(db(), { userId: session.user.id, ip: attempt(ctx).ip });
  }
});

/** After a password was checked: count and audit a failure; a success clears the account's count. */
const afterHook = createAuthMiddleware(async (ctx) => {
  if (ctx.path !== SIGN_IN_PATH) return;
  const { email, ip } = attempt(ctx);
  const returned = ctx.context.returned;
  if (isAPIError(returned)) {
    if (returned.statusCode !== 401) return; // malformed input, not a guess
    await recordSignInFailure(email, ip, { countAccount: true });
    await recordFailedSignIn(db(), { email, ip, reason: "wrong_password" });
    return;
  }
  if (ctx.context.newSession) await clearAccountFailures(email);
});

function createAuth() {
  const env = getEnv();
  return betterAuth({
    appName: "OsirisCare Central Command",
    secret: env.AUTH_SECRET,
    baseURL: env.PUBLIC_URL,
    basePath: "/api/auth",
    logger: {
      log: (level, message) => logger().child({ component: "auth" })[level](message),
    },
    trustedOrigins: trustedOrigins(),
    database: prismaAdapter(db(), { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: ({ hash, password }) => verifyPassword(hash, password) },
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false },
        partnerId: { type: "string", required: false, input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    // Requests per IP and path, shared by every instance through Redis (failed sign-ins have their own,
    // stricter limits in sign-in-limiter.ts, which also hold in tests).
    rateLimit: {
      enabled: env.NODE_ENV !== "test",
      window: 60,
      max: 100,
      customRules: { [SIGN_IN_PATH]: { window: 60, max: env.SIGN_IN_REQUESTS_PER_MINUTE } },
      customStorage: redisRateLimitStorage,
    },
    hooks: { before: beforeHook, after: afterHook },
    advanced: {
      cookiePrefix: "osiris",
      // Set by scripts/serve.ts from the socket (or a trusted proxy); clients cannot forge it.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: env.PUBLIC_URL.startsWith("https://"),
    },
    telemetry: { enabled: false },
    databaseHooks: {
      session: {
        create: {
          // The exact client IP from our header (better-auth stores an IPv6 address as its /64).
          after: async (session, ctx) => {
            const ip = ctx?.headers?.get(CLIENT_IP_HEADER) ?? session.ipAddress ?? null;
            await recordSignIn(db(), { userId: session.userId, ip });
          },
        },
      },
    },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
let instance: Auth | undefined;

/** Built on first use, so importing this module (e.g. during `next build`) needs no runtime env. */
export function auth(): Auth {
  instance ??= createAuth();
  return instance;
}
