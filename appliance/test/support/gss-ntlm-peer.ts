/**
 * gss-ntlmssp (MIT GSSAPI's NTLMSSP mechanism) driven through Debian's python3-gssapi: a real peer that logs in
 * and wraps/unwraps with NTLM session security. Runs /usr/bin/python3 (Debian's packages); a missing package
 * fails the test (scripts/setup-machine.sh installs gss-ntlmssp and python3-gssapi).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

const script = path.join(import.meta.dirname, "peers", "gss_ntlm_peer.py");

export type GssPeer = {
  ask(line: string): Promise<string>;
  close(): void;
};

export function startGssPeer(
  role: "acceptor" | "initiator",
  account: { domain: string; user: string; password: string },
): GssPeer {
  const dir = mkdtempSync(path.join(tmpdir(), "gss-ntlm-"));
  const userFile = path.join(dir, "users");
  writeFileSync(userFile, `${account.domain}:${account.user}:${account.password}\n`, { mode: 0o600 });
  const args = role === "acceptor" ? [] : [`${account.domain}\\${account.user}`, account.password];
  const child = spawn("/usr/bin/python3", [script, role, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PATH: "/usr/bin:/bin", NTLM_USER_FILE: userFile },
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => {
    child.on("error", (err) => reject(new Error(`the gss-ntlmssp peer could not start: ${err.message}`)));
    child.on("exit", (code) => reject(new Error(`the gss-ntlmssp peer exited (${code}): ${stderr.trim()}`)));
  });
  exited.catch(() => {});
  return {
    async ask(line) {
      child.stdin.write(`${line}\n`);
      const next = await Promise.race([lines.next(), exited]);
      if (next.done) throw new Error(`the gss-ntlmssp peer closed its output: ${stderr.trim()}`);
      return next.value;
    },
    close() {
      child.stdin.end();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
