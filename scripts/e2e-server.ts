/**
 * The server Playwright tests run against: a fresh e2e database, known fixtures written to
 * tmp/e2e-fixtures.json, then the production build (behind scripts/serve.ts, as `npm start` runs it) plus
 * the worker.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";
import { db, disconnectDb } from "@/server/db";
import { createPartner } from "@/server/domain/partners/create-partner";
import { createUser } from "@/server/domain/users/create-user";
import { seedScalePartner } from "./lib/console-scale-seed";
import { ensureDatabase, ensureRedis, migrate } from "./lib/services";

// E2E_PORT / E2E_DB / E2E_REDIS_DB let several checkouts run e2e side by side on one machine.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const E2E_DB = process.env.E2E_DB ?? "osiriscare_e2e";
const env = {
  NODE_ENV: "production",
  DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${E2E_DB}`,
  REDIS_URL: `redis://127.0.0.1:6379/${process.env.E2E_REDIS_DB ?? 2}`,
  QUEUE_PREFIX: "osiris-e2e",
  PUBLIC_URL: `http://127.0.0.1:${E2E_PORT}`,
  AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
  TOKEN_HMAC_KEY: "e2e-hmac-key-0123456789abcdef0123456789ab",
  CREDENTIALS_KEYRING: JSON.stringify({ current: "e1", keys: { e1: Buffer.alloc(32, 3).toString("base64") } }),
  POLL_INTERVAL_S: "5",
  NEXT_TELEMETRY_DISABLED: "1",
  LOG_LEVEL: "warn",
  // Every spec signs in from 127.0.0.1: more than a clinic's office would in a minute. The wrong-password limits
  // (sign-in-limiter.ts) stay as in production, and e2e/ui/security.spec.ts proves them.
  SIGN_IN_REQUESTS_PER_MINUTE: "1000",
  // No TRUSTED_PROXIES: loopback is an ordinary client here, so X-Forwarded-* from a spec is ignored
  // (e2e/api/security-headers.spec.ts proves it); e2e/api/tls-proxy.spec.ts runs its own instance behind a proxy.
};
Object.assign(process.env, env);

const admin = new URL(env.DATABASE_URL);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
if (!/^[A-Za-z0-9_]+$/.test(E2E_DB)) throw new Error("E2E_DB must be letters, digits and _.");
await client.query(`DROP DATABASE IF EXISTS "${E2E_DB}" WITH (FORCE)`);
await client.end();
await ensureRedis(env.REDIS_URL);
await ensureDatabase(env.DATABASE_URL);
migrate(env.DATABASE_URL, true);

const password = "e2e partner password";
const nepa = await createPartner(db(), {
  name: "NEPA IT Solutions",
  slug: "nepa-it",
  color: "#2563EB",
  email: "demo@nepa-it.example",
  password,
});
const other = await createPartner(db(), {
  name: "Other MSP",
  slug: "other-msp",
  color: "#059669",
  email: "admin@other-msp.example",
  password,
});
// A partner with a light brand colour: its links and brand text must still read at 4.5:1 (a11y.spec).
await createPartner(db(), {
  name: "Amber Health IT",
  slug: "amber-health",
  color: "#F59E0B",
  email: "admin@amber-health.example",
  password,
});
// A technician of NEPA: the role tests check what the UI hides from (and the server refuses to) a technician.
await db().$transaction((tx) =>
  createUser(tx, {
    email: "tech@nepa-it.example",
    name: "NEPA technician",
    password,
    role: "partner_technician",
    partnerId: nepa.partner.id,
  }),
);
await db().$transaction((tx) =>
  createUser(tx, {
    email: "admin@osiriscare.example",
    name: "Platform admin",
    password,
    role: "platform_admin",
    partnerId: null,
  }),
);
// A NEPA partner admin with a long email: the header must show all of it beside the admin's full set of links.
const LONG_EMAIL = "operations.administrator.north-east@nepa-it-solutions-managed.example";
await db().$transaction((tx) =>
  createUser(tx, {
    email: LONG_EMAIL,
    name: "NEPA long-email admin",
    password,
    role: "partner_admin",
    partnerId: nepa.partner.id,
  }),
);
// A partner of 500 sites, 10,000 appliances and 50,000 alerts (e2e/ui/scale.spec.ts), its own so other specs'
// counts are untouched. None of its appliances is online: the worker would turn 7,000 quiet ones offline mid-run.
await seedScalePartner(
  db(),
  { slug: "scale-msp", name: "Scale MSP", email: "admin@scale-msp.example", password },
  { sites: 500, appliances: 10_000, alerts: 50_000, online: false },
);
// One more NEPA user for the sign-in limit test (the demo login must never be locked).
for (const email of ["lockout@nepa-it.example"]) {
  await db().$transaction((tx) =>
    createUser(tx, { email, name: email, password, role: "partner_technician", partnerId: nepa.partner.id }),
  );
}
await disconnectDb();
// Sign-in failure counts and locks from an earlier run (this Redis db is e2e's own; only those keys go).
{
  const r = new Redis(env.REDIS_URL);
  const keys = await r.keys("signin:*");
  if (keys.length > 0) await r.del(...keys);
  r.disconnect();
}

mkdirSync("tmp", { recursive: true });
writeFileSync(
  "tmp/e2e-fixtures.json",
  JSON.stringify({
    password,
    nepa: { email: "demo@nepa-it.example", token: nepa.apiToken, slug: "nepa-it", techEmail: "tech@nepa-it.example" },
    other: { email: "admin@other-msp.example", token: other.apiToken, slug: "other-msp" },
    amber: { email: "admin@amber-health.example", slug: "amber-health", color: "#F59E0B" },
    scale: { email: "admin@scale-msp.example", slug: "scale-msp" },
    platformAdmin: { email: "admin@osiriscare.example" },
    lockout: { email: "lockout@nepa-it.example" },
    longEmail: { email: LONG_EMAIL },
    technician: { email: "tech@nepa-it.example" },
    databaseUrl: env.DATABASE_URL,
    serverEnv: env,
  }),
);

// The same entry as `npm start`: Next behind scripts/serve.ts (body limit, client IP, direct check-in).
const web = spawn(
  process.execPath,
  ["--import", "tsx", "scripts/serve.ts", "-p", String(E2E_PORT), "-H", "127.0.0.1"],
  { stdio: "inherit", env: process.env },
);
const worker = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], { stdio: "inherit", env: process.env });
const stop = () => {
  web.kill("SIGTERM");
  worker.kill("SIGTERM");
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
web.once("exit", (code) => {
  worker.kill("SIGTERM");
  process.exit(code ?? 0);
});
