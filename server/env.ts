/**
 * The only reader of process.env. Parsed lazily so `next build` does not need runtime secrets.
 * Local defaults point at this machine's PostgreSQL and Redis. Secrets come from the environment or,
 * for a local install, from .var/secrets.json (see local-secrets.ts); without either, it refuses to start.
 */
import { z } from "zod";
import { readLocalSecrets } from "./local-secrets";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/osiriscare"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379/0"),
  /** Prefix for every BullMQ key, so test runs and the product never share queues. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("osiris"),
  /** The public URL appliances are told to use (the claim's `api_endpoint`). */
  PUBLIC_URL: z.string().url().default("http://127.0.0.1:3000"),
  /**
   * Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated). Without one, the
   * client IP is the socket's peer and X-Forwarded-For is ignored.
   */
  TRUSTED_PROXIES: z.string().default(""),
  /** Seconds between appliance check-ins, sent to appliances as poll_interval. */
  POLL_INTERVAL_S: z.coerce.number().int().min(5).max(3600).default(60),
  /** Extra origins allowed to post to the auth endpoints, comma-separated. */
  TRUSTED_ORIGINS: z.string().default(""),
  /** Signs session cookies. */
  AUTH_SECRET: z.string().min(32).optional(),
  /** Keys the HMAC that stores API tokens, provision codes and appliance keys. */
  TOKEN_HMAC_KEY: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema> & { AUTH_SECRET: string; TOKEN_HMAC_KEY: string };

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const local = env.AUTH_SECRET && env.TOKEN_HMAC_KEY ? {} : readLocalSecrets();
  const AUTH_SECRET = env.AUTH_SECRET ?? local.AUTH_SECRET;
  const TOKEN_HMAC_KEY = env.TOKEN_HMAC_KEY ?? local.TOKEN_HMAC_KEY;
  if (!AUTH_SECRET || !TOKEN_HMAC_KEY) {
    throw new Error(
      'Missing secrets AUTH_SECRET and TOKEN_HMAC_KEY. Set them in the environment, or run "npm start" (or "npm run admin"), which generates local ones in .var/secrets.json.',
    );
  }
  cached = { ...env, AUTH_SECRET, TOKEN_HMAC_KEY };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
