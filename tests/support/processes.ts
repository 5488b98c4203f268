/** Real processes for tests: a private redis-server (never the shared one) and the worker process. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { pingRedis } from "@/server/redis";
import { testEnv } from "./test-env";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls every 100 ms (up to 90 s: this machine is shared and can be very slow). */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, tries = 900) {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once("exit", (code) => r(code)));
}

/** An empty, memory-only redis-server on `port` (a free one by default). */
export async function startPrivateRedis(port?: number) {
  const p = port ?? (await freePort());
  const child = spawn(
    "redis-server",
    ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmpdir()],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${p}/0`;
  await waitFor("redis-server", () => pingRedis(url, 500));
  return {
    port: p,
    url,
    /** Kills it outright: everything it held is gone. */
    async kill() {
      child.kill("SIGKILL");
      await exited(child);
    },
  };
}

/** `workers/main.ts` as a real process against the test database and the given Redis. */
export function startWorker(redisUrl: string, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    env: { ...process.env, ...testEnv, REDIS_URL: redisUrl, LOG_LEVEL: "info", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { text: "" };
  child.stdout?.on("data", (d) => {
    out.text += d;
  });
  child.stderr?.on("data", (d) => {
    out.text += d;
  });
  return {
    child,
    output: () => out.text,
    count: (needle: string) => out.text.split(needle).length - 1,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited(child);
    },
  };
}
