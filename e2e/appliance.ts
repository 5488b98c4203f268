/** Runs the real appliance CLI against the e2e server. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const API_ENDPOINT = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;

export function stateDir(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "osiris-e2e-")), "msp");
}

export function appliance(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "appliance/src/main.ts", ...args], {
    input: opts.input ?? "",
    encoding: "utf8",
    env: { ...process.env, ...opts.env },
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

export function startAppliance(
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "appliance/src/main.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  return Object.assign(child, { output: () => output });
}
