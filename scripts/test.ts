/**
 * `npm test`: every check, in order, each one run even if an earlier one failed:
 *   machine set-up (scripts/setup-machine.sh) → typecheck (all code) → lint → unit + integration (vitest, real PostgreSQL and Redis) →
 *   appliance bin bundle → production build → end-to-end (Playwright: API black-box + Chromium UI).
 * Ends with one line `N passed, N failed` summing every test, plus one per static check
 * (typecheck, lint, appliance bin, build). Skipped tests count as failures: nothing is skipped in CI.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { ensureRedis, PreflightError } from "./lib/services";

process.env.NEXT_TELEMETRY_DISABLED = "1";

type StepResult = { name: string; passed: number; failed: number; skipped: number };
const results: StepResult[] = [];

function run(cmd: string, args: string[]): boolean {
  process.stderr.write(`\n━━ ${cmd} ${args.join(" ")}\n`);
  const res = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  return res.status === 0;
}

function check(name: string, cmd: string, args: string[]): boolean {
  const ok = run(cmd, args);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
  return ok;
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

async function main(): Promise<number> {
  mkdirSync("tmp", { recursive: true });
  // Chromium, Redis and PostgreSQL: installed or started when missing (the same script .ci/run uses).
  if (!run("bash", ["scripts/setup-machine.sh"])) {
    process.stderr.write("Cannot test: the machine set-up failed (see above).\n");
    return 1;
  }
  try {
    await ensureRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  } catch (err) {
    if (err instanceof PreflightError) process.stderr.write(`Cannot test: ${err.message}\n`);
    else throw err;
    return 1;
  }

  check("typecheck", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
  check("lint", "npx", ["biome", "check", "."]);

  rmSync("tmp/vitest.json", { force: true });
  const vitestOk = run("npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=tmp/vitest.json",
  ]);
  const vitest = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>("tmp/vitest.json");
  results.push({
    name: "unit + integration",
    passed: vitest?.numPassedTests ?? 0,
    failed: (vitest?.numFailedTests ?? 0) + (vitest ? 0 : 1) + (vitestOk || vitest?.numFailedTests ? 0 : 1),
    skipped: (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0),
  });

  // The appliance ships as one bundled file: it must build and start.
  check("appliance bin", "bash", [
    "-c",
    "npm run --silent build:appliance && node appliance/dist/osiris-appliance.mjs --help > /dev/null",
  ]);

  if (check("build", "npx", ["next", "build"])) {
    rmSync("tmp/playwright.json", { force: true });
    const e2eOk = run("npx", ["playwright", "test"]);
    const pw = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(
      "tmp/playwright.json",
    );
    results.push({
      name: "end-to-end",
      passed: pw?.stats.expected ?? 0,
      failed:
        (pw?.stats.unexpected ?? 0) + (pw?.stats.flaky ?? 0) + (pw ? 0 : 1) + (e2eOk || pw?.stats.unexpected ? 0 : 1),
      skipped: pw?.stats.skipped ?? 0,
    });
  } else {
    results.push({ name: "end-to-end (not run: build failed)", passed: 0, failed: 1, skipped: 0 });
  }

  process.stderr.write("\n━━ summary\n");
  for (const r of results) {
    process.stderr.write(
      `  ${r.name.padEnd(38)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}\n`,
    );
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed + r.skipped, 0);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
