/**
 * Samba's real NTLM server side: `ntlm_auth --helper-protocol=squid-2.5-ntlmssp` with a fixed account
 * (`--password`, no domain join). A missing ntlm_auth fails the test (scripts/setup-machine.sh installs winbind).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export type NtlmAuthHelper = {
  /** Sends one line ("YR <b64>", "KK <b64>", "GK", "GF") and returns the answer line. */
  ask(line: string): Promise<string>;
  close(): void;
};

export function startNtlmAuth(account: { domain: string; user: string; password: string }): NtlmAuthHelper {
  const child = spawn(
    "ntlm_auth",
    [
      "--helper-protocol=squid-2.5-ntlmssp",
      `--username=${account.user}`,
      `--domain=${account.domain}`,
      `--password=${account.password}`,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => {
    child.on("error", (err) => reject(new Error(`ntlm_auth could not start: ${err.message}`)));
    child.on("exit", (code) => reject(new Error(`ntlm_auth exited (${code}): ${stderr.trim()}`)));
  });
  exited.catch(() => {});
  return {
    async ask(line) {
      child.stdin.write(`${line}\n`);
      const next = await Promise.race([lines.next(), exited]);
      if (next.done) throw new Error(`ntlm_auth closed its output: ${stderr.trim()}`);
      return next.value;
    },
    close() {
      child.stdin.end();
      child.kill();
    },
  };
}
