/**
 * The real entry point (appliance/src/main.ts), spawned as `node --import tsx` from the repository root,
 * with only the OSIRIS_* variables a test sets (none are inherited from the shell that runs the tests).
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

export interface SpawnedAppliance {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  /** Written to standard input, which is then closed (empty by default). */
  input?: string;
  env?: Record<string, string>;
}

export function spawnAppliance(args: string[], opts: SpawnOptions = {}): SpawnedAppliance {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("OSIRIS_") && !opts.env?.[key]) delete env[key];
  const child = spawn(process.execPath, ["--import", "tsx", "appliance/src/main.ts", ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdin?.end(opts.input ?? "");
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Spawns and waits for the exit: the exit code and everything written. */
export async function runAppliance(args: string[], opts: SpawnOptions = {}) {
  const run = spawnAppliance(args, opts);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}
