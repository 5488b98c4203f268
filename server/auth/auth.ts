/**
 * Partner and platform-admin sign-in: better-auth (email + password) over our Prisma tables, with
 * argon2id password hashes, HTTP-only session cookies and no self-service sign-up (accounts are
 * created by a platform admin or a partner admin).
 */
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/server/db";
import { recordAuditEvent } from "@/server/domain/audit/record-audit-event";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "@/server/domain/security/passwords";
import { getEnv } from "@/server/env";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";
import { logger } from "@/server/logger";

function trustedOrigins(): string[] {
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
      password: { hash: hashPassword, verify: ({ hash, password }) => verifyPassword(hash, password) },
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false },
        partnerId: { type: "string", required: false, input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    rateLimit: {
      enabled: env.NODE_ENV !== "test",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 10 } },
    },
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
          after: async (session) => {
            const user = await db().user.findUnique({ where: { id: session.userId }, select: { partnerId: true } });
            await recordAuditEvent(db(), {
              action: "user.signed_in",
              actorType: "user",
              actorId: session.userId,
              partnerId: user?.partnerId ?? null,
              ip: session.ipAddress ?? null,
            });
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
