/**
 * Debian's real pywinrm, the client people use against Windows, runs PowerShell against the WinRM test double:
 * over HTTP with NTLM message encryption and over HTTPS (with channel bindings). So the double speaks what a real
 * client speaks, and is not proven only against our own client. The double refuses pywinrm's clear bodies on HTTP.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPywinrm } from "@/tests/support/winrm-double/pywinrm.ts";
import { type FakeHost, startWinRmDouble, type WinRmDouble } from "@/tests/support/winrm-double/server.ts";

const account = { domain: "CLINIC", user: "scanner", password: "Sc4n-Only!" };
let double: WinRmDouble;
let dir: string;
let caFile: string;
const host = (name: string) => double.hosts.find((h) => h.name === name) as FakeHost;

beforeAll(async () => {
  double = await startWinRmDouble({
    hosts: [{ name: "fs01" }, { name: "fs02", https: true }, { name: "dc01" }],
    accounts: [account],
  });
  dir = mkdtempSync(path.join(tmpdir(), "pywinrm-double-"));
  caFile = path.join(dir, "ca.pem");
  writeFileSync(caFile, double.certificate);
});
afterAll(async () => {
  await double.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("pywinrm against the WinRM double", () => {
  it("runs PowerShell over HTTP with message encryption", async () => {
    const result = await runPywinrm({
      endpoint: host("fs01").url,
      username: "CLINIC\\scanner",
      password: account.password,
      script: "Write-Output 'hello from pywinrm'",
    });
    expect(result).toEqual({ stdout: "hello from pywinrm\r\n", stderr: "", status: 0 });
    expect(double.stats("fs01").logins).toBe(1);
    expect(double.stats("fs01").scripts).toEqual(["Write-Output 'hello from pywinrm'"]);
    expect(double.openShells("fs01")).toBe(0);
  });

  it("receives PowerShell errors as CLIXML on stderr with a non-zero exit code", async () => {
    const result = await runPywinrm({
      endpoint: host("fs01").url,
      username: "CLINIC\\scanner",
      password: account.password,
      script: "Write-Output 'partial'; Write-Error 'Access is denied'",
    });
    if ("error" in result) throw new Error(result.error);
    expect(result.stdout).toBe("partial\r\n");
    expect(result.stderr).toMatch(/^#< CLIXML\r\n/);
    expect(result.stderr).toContain('<S S="Error">Access is denied_x000D__x000A_</S>');
    expect(result.status).toBe(1);
  });

  it("runs PowerShell over HTTPS, sending channel bindings the double verifies", async () => {
    const fs02 = host("fs02");
    const result = await runPywinrm({
      endpoint: `https://localhost:${fs02.port}/wsman`,
      username: "CLINIC\\scanner",
      password: account.password,
      script: "Write-Output 'over tls'",
      caFile,
    });
    expect(result).toEqual({ stdout: "over tls\r\n", stderr: "", status: 0 });
    expect(double.stats("fs02").logins).toBe(1);
    expect(double.stats("fs02").channelBoundLogins).toBe(1);
  });

  it("is refused with a wrong password", async () => {
    const result = await runPywinrm({
      endpoint: host("dc01").url,
      username: "CLINIC\\scanner",
      password: "not-the-password",
      script: "Write-Output 'x'",
    });
    expect(result).toEqual({ error: expect.stringMatching(/^InvalidCredentialsError/) });
    expect(double.stats("dc01").failedLogins).toBeGreaterThan(0);
  });

  it("is refused when it sends bodies in clear over HTTP, as a default Windows server refuses them", async () => {
    const before = double.stats("dc01").refusedUnencrypted;
    const result = await runPywinrm({
      endpoint: host("dc01").url,
      username: "CLINIC\\scanner",
      password: account.password,
      script: "Write-Output 'x'",
      encryption: "never",
    });
    expect(result).toEqual({ error: expect.stringMatching(/^WinRMTransportError.*400/) });
    expect(double.stats("dc01").refusedUnencrypted).toBeGreaterThan(before);
    expect(double.stats("dc01").scripts).toEqual([]);
  });
});
