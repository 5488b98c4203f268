/**
 * The supervisor behind `npm start`, with real child processes: a tiny HTTP server stands in for the web
 * server (it listens itself, as serve.ts does) and a sleeper for the worker.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited, freePort, waitFor } from "../support/processes";

const root = path.resolve(import.meta.dirname, "../..");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "osiris-supervisor-"));
  writeFileSync(
    path.join(dir, "web.mjs"),
    `import { createServer } from "node:http";
     const server = createServer((req, res) => res.end(JSON.stringify({ pid: process.pid })));
     server.listen(Number(process.argv[2]), "127.0.0.1");
     process.on("SIGTERM", () => server.close(() => process.exit(0)));`,
  );
  writeFileSync(
    path.join(dir, "worker.mjs"),
    `setInterval(() => {}, 1000); process.on("SIGTERM", () => process.exit(0));`,
  );
  // What start.ts does, minus preflight and build: supervise both, stop on signals.
  writeFileSync(
    path.join(dir, "start.ts"),
    `import { Supervisor, stopOnSignals } from ${JSON.stringify(path.join(root, "scripts/lib/supervisor.ts"))};
     const port = process.argv[2];
     const sup = new Supervisor([
       { name: "web", command: process.execPath, args: [${JSON.stringify(path.join(dir, "web.mjs"))}, port] },
       { name: "worker", command: process.execPath, args: [${JSON.stringify(path.join(dir, "worker.mjs"))}] },
     ], { minBackoffMs: 200, log: (m) => process.stderr.write("[start] " + m + "\\n") });
     sup.start();
     stopOnSignals(sup);
     setInterval(() => process.stdout.write(JSON.stringify({ web: sup.child("web")?.pid ?? null, worker: sup.child("worker")?.pid ?? null }) + "\\n"), 100);`,
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function health(port: number): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    return ((await res.json()) as { pid: number }).pid;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start's supervisor", () => {
  let start: ChildProcess;
  let log = "";
  let pids = { web: null as number | null, worker: null as number | null };
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    start = spawn(process.execPath, ["--import", "tsx", path.join(dir, "start.ts"), String(port)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    start.stdout?.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      const last = lines.at(-1);
      if (last) pids = JSON.parse(last);
    });
    start.stderr?.on("data", (d) => {
      log += d;
    });
  });

  afterAll(() => {
    if (start.exitCode === null) start.kill("SIGKILL");
  });

  it("brings the web server back after it is SIGKILLed, and logs the signal", async () => {
    const first = await waitFor("the web server", () => health(port));
    process.kill(first, "SIGKILL");
    const second = await waitFor("the web server to come back", async () => {
      const pid = await health(port);
      return pid !== null && pid !== first ? pid : null;
    });
    expect(second).not.toBe(first);
    expect(log).toMatch(/web exited \(signal SIGKILL\); restarting/);
    expect(alive(first)).toBe(false);
  });

  it("restarts a worker that dies", async () => {
    const worker = await waitFor("the worker", async () => pids.worker);
    process.kill(worker, "SIGKILL");
    await waitFor("a new worker", async () => (pids.worker && pids.worker !== worker ? pids.worker : null));
    expect(log).toMatch(/worker exited \(signal SIGKILL\)/);
  });

  it("SIGTERM stops everything and restarts nothing", async () => {
    const { web, worker } = await waitFor("both children", async () => (pids.web && pids.worker ? pids : null));
    start.kill("SIGTERM");
    expect(await exited(start)).toBe(0);
    expect(web && alive(web)).toBe(false);
    expect(worker && alive(worker)).toBe(false);
    expect(await health(port)).toBeNull();
  });
});
