/**
 * `npm start`: everything needed to run Central Command on this machine.
 *  preflight (PostgreSQL, Redis) → create the database → migrate → seed the demo partner → build if
 *  needed → web (scripts/serve.ts) + worker, supervised (scripts/lib/supervisor.ts): a child that dies is
 *  restarted with back-off (1 s doubling to 30 s), and logged; Ctrl-C or SIGTERM stops both.
 * `npm run dev` does the same with `next dev` and no production build.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { seedDemo } from "@/prisma/seed-demo";
import { db, disconnectDb } from "@/server/db";
import { getEnv } from "@/server/env";
import { ensureLocalSecrets } from "@/server/local-secrets";
import { ensureDatabase, ensureRedis, migrate, PreflightError } from "./lib/services";
import { Supervisor, stopOnSignals } from "./lib/supervisor";

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

/** Start-up fails (instead of restarting forever) if the web server exits before it was ever healthy. */
async function waitForHealth(url: string, webExited: () => boolean): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (webExited()) throw new PreflightError("the web server exited during start-up (see above).");
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

  let healthy = false;
  let webExitedEarly = false;
  const supervisor = new Supervisor(
    [
      {
        name: "web server",
        command: process.execPath,
        args: ["--import", "tsx", "scripts/serve.ts", ...(dev ? ["--dev"] : []), "-p", String(PORT), "-H", HOST],
        options: { env: process.env },
      },
      {
        name: "worker",
        command: process.execPath,
        args: ["--import", "tsx", "workers/main.ts"],
        options: { env: process.env },
      },
    ],
    {
      log: (m) => log(m),
      onExit: (name) => {
        if (name === "web server" && !healthy) webExitedEarly = true;
      },
    },
  );
  supervisor.start();
  stopOnSignals(supervisor, () => log("stopping the web server and the worker…"));

  const url = `http://${HOST === "0.0.0.0" ? "127.0.0.1" : HOST}:${PORT}`;
  try {
    await waitForHealth(url, () => webExitedEarly);
  } catch (err) {
    await supervisor.stop();
    throw err;
  }
  healthy = true;
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

  A web server or worker that dies is restarted. Ctrl-C stops both.
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
