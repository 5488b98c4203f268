/**
 * runPowerShell (the appliance's WinRM client) against the WinRM test double, which pywinrm and gss-ntlmssp
 * prove separately: HTTP with sealing, HTTPS with channel bindings, the "no output yet" retry, long scripts over
 * stdin, readable CLIXML errors, and failures a technician can act on (never showing the password).
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WinRmError } from "@/appliance/src/winrm/http/winrm-error.ts";
import { runPowerShell } from "@/appliance/src/winrm/run-powershell.ts";
import { type FakeHost, startWinRmDouble, type WinRmDouble } from "@/tests/support/winrm-double/server.ts";

const account = { domain: "CLINIC", user: "scanner", password: "Sc4n-Only!" };
let double: WinRmDouble;
const host = (name: string) => double.hosts.find((h) => h.name === name) as FakeHost;

function run(name: string, script: string, extra: Partial<Parameters<typeof runPowerShell>[0]> = {}) {
  const h = host(name);
  return runPowerShell({
    host: h.address,
    port: h.port,
    https: h.https,
    ca: double.certificate,
    username: "CLINIC\\scanner",
    password: account.password,
    script,
    timeoutMs: 15_000,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<WinRmError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof WinRmError)) throw new Error(`expected a WinRmError, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  double = await startWinRmDouble({
    hosts: [
      { name: "fs01" },
      { name: "fs02", https: true },
      { name: "slow01", state: "slow" },
      { name: "locked01", state: "wrong_password" },
      { name: "fs03", address: "127.0.0.2" },
      { name: "flaky01", maxRequestsPerConnection: 4 },
      { name: "clear01", plainReplies: true },
    ],
    accounts: [account],
    slowMs: 1200,
    holdMs: 200,
  });
});
afterAll(() => double.close());

describe("runPowerShell against the WinRM double", () => {
  it("runs a script over HTTP 5985-style with NTLM sealing and deletes its shell", async () => {
    const result = await run("fs01", "Write-Output 'hello'; Write-Output \"wörld ✓\"");
    expect(result).toEqual({ stdout: "hello\r\nwörld ✓\r\n", stderr: "", exitCode: 0 });
    expect(double.stats("fs01").logins).toBe(1);
    expect(double.stats("fs01").refusedUnencrypted).toBe(0);
    expect(double.openShells("fs01")).toBe(0);
  });

  it("logs in with a UPN (user@domain) as well as DOMAIN\\user", async () => {
    const result = await run("fs03", "Write-Output 'upn'", { username: "scanner@clinic.test" });
    expect(result.stdout).toBe("upn\r\n");
  });

  it("runs a script over HTTPS with channel bindings to the host's certificate", async () => {
    const result = await run("fs02", "Write-Output 'over tls'");
    expect(result).toEqual({ stdout: "over tls\r\n", stderr: "", exitCode: 0 });
    expect(double.stats("fs02").channelBoundLogins).toBe(1);
  });

  it("refuses an HTTPS certificate it was not told to trust", async () => {
    const err = await failure(run("fs02", "Write-Output 'x'", { ca: undefined }));
    expect(err.kind).toBe("tls");
  });

  it("turns CLIXML errors into readable text and keeps the exit code", async () => {
    const result = await run("fs01", "Write-Output 'partial'; Write-Error 'Get-BitLockerVolume: not recognized'");
    expect(result.stdout).toBe("partial\r\n");
    expect(result.stderr).toBe("Get-BitLockerVolume: not recognized");
    expect(result.exitCode).toBe(1);
  });

  it("keeps asking while the host answers 'no output yet' (w:TimedOut) until the command is done", async () => {
    const before = double.stats("slow01").requests;
    const result = await run("slow01", "Write-Output 'finally'");
    expect(result).toEqual({ stdout: "finally\r\n", stderr: "", exitCode: 0 });
    // Create, Command, >1 Receive, Signal, Delete plus the 2 login legs: more than 7 requests means retries.
    expect(double.stats("slow01").requests - before).toBeGreaterThan(7);
  });

  it("sends long scripts on stdin (the command line holds about 8 KB)", async () => {
    const script = `${"# padding to make the script long\n".repeat(300)}Write-Output 'long one'`;
    const result = await run("fs01", script);
    expect(result.stdout).toBe("long one\r\n");
    expect(double.stats("fs01").scripts.at(-1)).toContain("# padding");
  });

  it("serves hosts on other loopback addresses", async () => {
    expect(await run("fs03", "Write-Output 'second address'")).toMatchObject({ stdout: "second address\r\n" });
  });

  it("logs in again when the host closes the connection between requests", async () => {
    const result = await run("flaky01", "Write-Output 'still here'");
    expect(result).toEqual({ stdout: "still here\r\n", stderr: "", exitCode: 0 });
    expect(double.stats("flaky01").logins).toBeGreaterThan(1);
    expect(double.openShells("flaky01")).toBe(0);
  });

  it("refuses a reply that is not sealed on HTTP", async () => {
    const err = await failure(run("clear01", "Write-Output 'x'"));
    expect(err.kind).toBe("unencrypted");
    expect(err.message).toContain("without NTLM message encryption");
  });

  it("reports a refused password without showing it", async () => {
    const err = await failure(run("locked01", "Write-Output 'x'"));
    expect(err.kind).toBe("auth_failed");
    expect(err.message).toContain("CLINIC\\scanner");
    expect(err.message).not.toContain(account.password);
  });

  it("reports a closed port as unreachable", async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const err = await failure(
      runPowerShell({
        host: "127.0.0.1",
        port: free,
        https: false,
        username: "CLINIC\\scanner",
        password: account.password,
        script: "Write-Output 'x'",
        timeoutMs: 5000,
      }),
    );
    expect(err.kind).toBe("unreachable");
    expect(err.message).toContain(`127.0.0.1:${free}`);
  });

  it("stops at the host's time limit", async () => {
    double.setHostState("slow01", "slow");
    const err = await failure(run("slow01", "Write-Output 'too slow'", { timeoutMs: 400 }));
    expect(err.kind).toBe("timeout");
  });

  it("stops when the caller cancels", async () => {
    double.setHostState("slow01", "slow");
    const controller = new AbortController();
    const pending = failure(run("slow01", "Write-Output 'cancel me'", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const err = await pending;
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain("cancelled");
  });

  it("answers the check script from the host's state, through a pluggable responder", async () => {
    double.setCheckScriptResponder((state) => `${JSON.stringify({ firewall: state === "compliant" })}\n`);
    const script = "# osiris-compliance-check\nGet-NetFirewallProfile";
    expect(JSON.parse((await run("fs01", script)).stdout)).toEqual({ firewall: true });
    double.setHostState("fs01", "non_compliant");
    expect(JSON.parse((await run("fs01", script)).stdout)).toEqual({ firewall: false });
    double.setHostState("fs01", "compliant");
  });
});
