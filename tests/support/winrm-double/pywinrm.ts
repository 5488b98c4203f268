/**
 * Runs Debian's real pywinrm (python3-winrm, under /usr/bin/python3) against a WinRM endpoint. Its NTLM needs MD4,
 * which OpenSSL 3 keeps in the legacy provider: a private OPENSSL_CONF enables it for that Python process only
 * (the product itself never uses the legacy provider). A missing package fails the caller's test.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const script = path.join(import.meta.dirname, "peers", "pywinrm_run_ps.py");

let opensslConf: string | null = null;
export function legacyOpensslConf(): string {
  if (opensslConf) return opensslConf;
  const dir = mkdtempSync(path.join(tmpdir(), "pywinrm-openssl-"));
  opensslConf = path.join(dir, "openssl.cnf");
  writeFileSync(
    opensslConf,
    [
      "openssl_conf = openssl_init",
      "[openssl_init]",
      "providers = provider_sect",
      "[provider_sect]",
      "default = default_sect",
      "legacy = legacy_sect",
      "[default_sect]",
      "activate = 1",
      "[legacy_sect]",
      "activate = 1",
      "",
    ].join("\n"),
  );
  return opensslConf;
}

export type PywinrmResult = { stdout: string; stderr: string; status: number } | { error: string };

export function runPywinrm(args: {
  endpoint: string;
  username: string;
  password: string;
  script: string;
  caFile?: string;
  /** "never" sends bodies in clear over HTTP (a default Windows server refuses them). */
  encryption?: "always" | "never";
}): Promise<PywinrmResult> {
  const argv = [
    script,
    args.endpoint,
    args.username,
    args.password,
    args.script,
    args.caFile ?? "",
    args.encryption ?? "always",
  ];
  return new Promise((resolve, reject) => {
    execFile(
      "/usr/bin/python3",
      argv,
      { env: { ...process.env, OPENSSL_CONF: legacyOpensslConf() }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`pywinrm failed to run: ${stderr.trim() || err.message}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as PywinrmResult);
      },
    );
  });
}
