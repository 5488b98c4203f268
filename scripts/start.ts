/**
 * `npm start`: everything needed to run Central Command on this machine.
 *  preflight (PostgreSQL, Redis) → create the database → migrate → seed the demo partner → build if
 *  needed → web (next start) + worker, supervised together. Ctrl-C stops both.
 * `npm run dev` does the same with `next dev` and no production build.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { seedDemo } from "@/prisma/seed-demo";
import { db, disconnectDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { ensureLocalSecrets } from "@/server/local-secrets";
import { ensureDatabase, ensureRedis, migrate, PreflightError } from "./lib/services";

const dev = process.argv.includes("--dev");
const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? "127.0.0.1";
process.env.PUBLIC_URL ??= `http://${HOST === "0.0.0.0" ? "127.0.0.1" : HOST}:${PORT}`;
process.env.NEXT_TELEMETRY_DISABLED = "1";

const log = (msg: string) => process.stderr.write(`[start] ${msg}\n`);

const SOURCES = ["app", "server", "prisma", "proxy.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === "generated" || entry === "migrations") continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

function buildIfNeeded(): void {
  const buildId = ".next/BUILD_ID";
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (built > Math.max(...SOURCES.map(newestMtime))) {
    log("production build is up to date");
    return;
  }
  log("building the web app (next build, about a minute)…");
  const result = spawnSync("npx", ["next", "build"], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new PreflightError("next build failed (see above).");
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new PreflightError("the web server exited during start-up (see above).");
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new PreflightError("the web server did not become healthy within 60 s.");
}

async function main(): Promise<void> {
  ensureLocalSecrets();
  const env = getEnv();
  await ensureRedis(env.REDIS_URL);
  const created = await ensureDatabase(env.DATABASE_URL);
  if (created === "created") log(`created database ${new URL(env.DATABASE_URL).pathname.slice(1)}`);
  log("applying migrations…");
  migrate(env.DATABASE_URL, true);
  const demo = await seedDemo(db());
  await disconnectDb();
  if (!dev) buildIfNeeded();

  const children: ChildProcess[] = [];
  const web = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/serve.ts", ...(dev ? ["--dev"] : []), "-p", String(PORT), "-H", HOST],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: process.env,
    },
  );
  const worker = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: process.env,
  });
  children.push(web, worker);

  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    setTimeout(() => process.exit(code), 5_000).unref();
    Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null))).then(() =>
      process.exit(code),
    );
  };
  for (const child of children) {
    child.once("exit", (code) => {
      if (!stopping) {
        log(`${child === web ? "web server" : "worker"} exited (code ${code}); stopping`);
        stop(code ?? 1);
      }
    });
  }
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));

  const url = `http://${HOST === "0.0.0.0" ? "127.0.0.1" : HOST}:${PORT}`;
  await waitForHealth(url, web);
  process.stderr.write(`
────────────────────────────────────────────────────────────────────
  OsirisCare Central Command is running${dev ? " (development)" : ""}

  Web:            ${url}
  Health:         ${url}/api/health
  Queues:         ${url}/admin/queues   (platform admin)

  Demo partner:   ${"NEPA IT Solutions"} (nepa-it, #2563EB)
    sign in:      ${demo.partnerEmail}  /  ${demo.partnerPassword}
    API token:    ${demo.apiToken}
    try:          curl -H "Authorization: Bearer ${demo.apiToken}" ${url}/api/partners/me

  Platform admin: ${demo.adminEmail}  /  ${demo.adminPassword}

  Ctrl-C stops the web server and the worker.
────────────────────────────────────────────────────────────────────
`);
}

main().catch(async (err) => {
  await disconnectDb().catch(() => {});
  if (err instanceof PreflightError) {
    process.stderr.write(`\nCannot start: ${err.message}\n`);
  } else {
    process.stderr.write(`\nCannot start: ${(err as Error).stack ?? err}\n`);
  }
  process.exit(1);
});
