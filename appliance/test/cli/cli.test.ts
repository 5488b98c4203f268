/**
 * The real entry point (appliance/src/main.ts), spawned as `node --import tsx`, against the fake
 * Central Command on loopback.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config/config-file";
import { deriveApplianceKeys } from "../../src/crypto/appliance-key";
import { REPO_ROOT, runAppliance, spawnAppliance } from "../support/appliance-process";
import { CODES, type FakeCentralCommand, SITE_ID } from "../support/fake-central-command";
import { closedPort } from "../support/http-server";
import { completionScreen } from "../support/seed-screens";
import { freshEnvironmentPerTest } from "../support/test-environment";
import { until } from "../support/until";

const TIMEOUT = 30_000;
/** For the tests that start a dozen processes at once: on a busy 2-core machine each start takes seconds. */
const MANY_PROCESSES_TIMEOUT = 120_000;

const env = freshEnvironmentPerTest("osiris-cli-");
let fake: FakeCentralCommand;
let tmp: string;
let stateDir: string;
beforeEach(() => {
  ({ fake, root: tmp, stateDir } = env);
});

function expectProvisioned(outputs: string[]): string {
  const config = readConfig(stateDir);
  const claim = fake.claims[0];
  expect(claim).toBeDefined();
  // One secret on disk, the root: the claim's API key and public key are derived from it.
  expect(config.api_key).toBeUndefined();
  const keys = deriveApplianceKeys(config.appliance_secret ?? "");
  expect(claim?.api_key).toBe(keys.apiKey);
  expect(claim?.public_key).toBe(keys.keyPair.publicKeyBase64);
  expect(config.site_id).toBe(SITE_ID);
  expect(config.mac_address).toBe(claim?.mac_address);
  expect(config.hostname).toBe(claim?.hostname);
  expect(fake.problems).toEqual([]);
  for (const text of outputs) {
    expect(text).not.toContain(keys.apiKey);
    expect(text).not.toContain(config.appliance_secret);
  }
  return keys.apiKey;
}

describe("osiris-appliance command line", () => {
  it("--help prints the usage and exits 0", { timeout: TIMEOUT }, async () => {
    const { code, stdout, stderr } = await runAppliance(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^Usage: osiris-appliance \[options\] \[run\]/);
    for (const flag of ["--provision CODE", "--provision -", "--provision-file PATH", "--provision-interactive"]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain("--api-endpoint URL");
    expect(stdout).toContain("--state-dir DIR");
  });

  it("rejects bad arguments with a clear message and exit 2", { timeout: MANY_PROCESSES_TIMEOUT }, async () => {
    const cases: { args: string[]; env?: Record<string, string>; message: RegExp }[] = [
      { args: ["--bogus"], message: /unknown option --bogus/ },
      { args: ["--provision"], message: /--provision needs a value/ },
      { args: ["--state-dir", "--provision", CODES.valid], message: /--state-dir needs a value/ },
      { args: ["--provision", CODES.valid, "--provision-interactive"], message: /cannot be used together/ },
      { args: ["--provision-interactive", "run"], message: /cannot be used together/ },
      { args: ["status"], message: /unknown command "status"/ },
      { args: ["run", "now"], message: /unexpected argument "now"/ },
      { args: ["--api-endpoint", "ftp://example", "run"], message: /--api-endpoint must be an http/ },
      { args: ["run"], env: { OSIRIS_API_ENDPOINT: "nonsense" }, message: /OSIRIS_API_ENDPOINT must be an http/ },
      { args: ["run"], env: { OSIRIS_POLL_INTERVAL_S: "soon" }, message: /OSIRIS_POLL_INTERVAL_S must be a positive/ },
      { args: ["--provision", "ABC"], message: /--provision: A provision code has 16 characters; that one has 3/ },
      { args: ["--provision-file", path.join("/nonexistent", "code")], message: /--provision-file .*ENOENT/ },
    ];
    const results = await Promise.all(
      cases.map((c) =>
        runAppliance([...c.args, "--state-dir", stateDir], { env: { OSIRIS_API_ENDPOINT: fake.url, ...c.env } }),
      ),
    );
    results.forEach((result, i) => {
      const c = cases[i];
      expect({ args: c?.args, code: result.code }).toEqual({ args: c?.args, code: 2 });
      expect(result.stderr).toMatch(c?.message ?? /never/);
      expect(result.stderr).toMatch(/^osiris-appliance: /);
    });
    expect(fake.requests).toEqual([]);
    expect(existsSync(stateDir)).toBe(false);
  });

  it("--provision CODE provisions, prints the completion screen and exits 0", { timeout: TIMEOUT }, async () => {
    const { code, stdout, stderr } = await runAppliance([
      "--provision",
      "abcd-1234-efgh-5678",
      "--api-endpoint",
      fake.url,
      "--state-dir",
      stateDir,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const configFile = path.join(stateDir, "config.yaml");
    expect(stdout).toBe(
      `Provisioning...\n${completionScreen(configFile)}To run it now: osiris-appliance run --state-dir ${stateDir}\n`,
    );
    const key = expectProvisioned([stdout, stderr]);
    expect(fake.statuses).toEqual([
      {
        apiKey: key,
        body: {
          appliance_id: `${SITE_ID}-${fake.claims[0]?.mac_address}`,
          status: "configuring",
          progress: 50,
          message: "Configuration written",
        },
      },
    ]);
  });

  it("--provision reports each claim error of the seed's table and exits 1", {
    timeout: MANY_PROCESSES_TIMEOUT,
  }, async () => {
    const port = await closedPort();
    const cases = [
      { code: CODES.unknown, endpoint: fake.url, error: "Invalid provision code" },
      { code: CODES.expired, endpoint: fake.url, error: "Provision code expired" },
      { code: CODES.claimed, endpoint: fake.url, error: "Code already claimed" },
      { code: CODES.hang, endpoint: fake.url, error: "Connection timed out" },
      { code: CODES.valid, endpoint: `http://127.0.0.1:${port}`, error: "Failed to connect to server" },
      { code: CODES.rateLimited, endpoint: fake.url, error: "Too many provisioning attempts; try again in 42 s" },
    ];
    const results = await Promise.all(
      cases.map((c) =>
        runAppliance(["--provision", c.code, "--state-dir", stateDir], {
          // Only the case that hangs gets a short timeout: six processes start at once, and on a loaded
          // machine a 1 s limit would also cut off the answers the other cases are waiting for.
          env: { OSIRIS_API_ENDPOINT: c.endpoint, OSIRIS_HTTP_TIMEOUT_S: c.code === CODES.hang ? "1" : "20" },
        }),
      ),
    );
    results.forEach((result, i) => {
      const c = cases[i];
      expect({ code: result.code, first: result.stderr.split("\n")[0] }).toEqual({
        code: 1,
        first: `Provisioning failed: ${c?.error}`,
      });
      expect(result.stdout).toBe("Provisioning...\n");
    });
    expect(results[4]?.stderr).toMatch(/^ {2}\(.*ECONNREFUSED.*\)$/m);
    expect(existsSync(path.join(stateDir, "config.yaml"))).toBe(false);
  });

  it("--provision-file reads the code from a file", { timeout: TIMEOUT }, async () => {
    const codeFile = path.join(tmp, "code.txt");
    writeFileSync(codeFile, "abcd 1234 efgh 5678\n");
    const { code, stdout, stderr } = await runAppliance([
      "--provision-file",
      codeFile,
      "--api-endpoint",
      fake.url,
      "--state-dir",
      stateDir,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(fake.claims[0]?.provision_code).toBe(CODES.valid);
    expectProvisioned([stdout, stderr]);
  });

  it("--provision - reads the code from standard input; OSIRIS_* variables set endpoint and state dir", {
    timeout: TIMEOUT,
  }, async () => {
    const { code, stdout, stderr } = await runAppliance(["--provision", "-"], {
      input: `${CODES.valid}\n`,
      env: { OSIRIS_API_ENDPOINT: fake.url, OSIRIS_STATE_DIR: stateDir },
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(
      `Provisioning...\n${completionScreen(path.join(stateDir, "config.yaml"))}To run it now: osiris-appliance run --state-dir ${stateDir}\n`,
    );
    expectProvisioned([stdout, stderr]);
  });

  it("--provision-interactive reads piped codes, re-prompting on a malformed one", { timeout: TIMEOUT }, async () => {
    const { code, stdout, stderr } = await runAppliance(
      ["--provision-interactive", "--api-endpoint", fake.url, "--state-dir", stateDir],
      { input: `abcd-1234\n${CODES.unknown}\n${CODES.valid.toLowerCase()}\n` },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^={60}\n {2}OsirisCare Appliance Provisioning\n={60}\n\nMAC Address: [0-9A-F]{2}(:[0-9A-F]{2}){5}\nHostname: {4}\S+\n\n/,
    );
    expect(stdout).toContain(
      "Enter your provision code (from partner dashboard):\nFormat: XXXXXXXXXXXXXXXX (16 characters)\n",
    );
    expect(stdout).toContain(
      "Provision Code: \nA provision code has 16 characters; that one has 8. Please try again.\n\nProvision Code: ",
    );
    expect(stderr).toBe("Provisioning failed: Invalid provision code\n");
    expect(stdout).toContain("Enter another provision code, or press Ctrl-D to cancel.");
    expect(stdout.endsWith(completionScreen(path.join(stateDir, "config.yaml")))).toBe(true);
    expect(fake.requests.filter((r) => r.path === "/api/provision/claim")).toHaveLength(2);
    expectProvisioned([stdout, stderr]);
  });

  it("--provision-interactive ends with exit 1 at end of input", { timeout: TIMEOUT }, async () => {
    const { code, stdout } = await runAppliance([
      "--provision-interactive",
      "--api-endpoint",
      fake.url,
      "--state-dir",
      stateDir,
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Provision Code: \n\nNo provision code entered; provisioning cancelled\.\n$/);
    expect(fake.requests).toEqual([]);
  });

  it("run fails with exit 1 when the appliance is not provisioned", { timeout: TIMEOUT }, async () => {
    const { code, stderr } = await runAppliance(["run", "--api-endpoint", fake.url, "--state-dir", stateDir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`No configuration at ${path.join(stateDir, "config.yaml")}`);
    expect(stderr).toContain("--provision CODE");
  });

  it("with no flags and no config: provisions interactively, starts the check-in daemon, stops on SIGTERM", {
    timeout: TIMEOUT,
  }, async () => {
    const run = spawnAppliance(["--api-endpoint", fake.url, "--state-dir", stateDir], {
      input: `${CODES.valid}\n`,
      env: { OSIRIS_POLL_INTERVAL_S: "0.2" },
    });
    await until(() => (run.stdout().match(/ check-in ok /g) ?? []).length >= 2);
    run.child.kill("SIGTERM");
    const { code } = await run.exited;
    expect(code).toBe(0);

    const stdout = run.stdout();
    expect(stdout).toContain(
      `${completionScreen(path.join(stateDir, "config.yaml"))}Provisioning complete. Starting agent...\n`,
    );
    expect(stdout).toMatch(/ check-in daemon stopped\n$/);
    const key = expectProvisioned([stdout, run.stderr()]);
    expect(fake.statuses.map((s) => s.body.status)).toEqual(["configuring", "ready"]);
    expect(fake.checkins.length).toBeGreaterThanOrEqual(2);
    expect(fake.checkins.every((c) => c.apiKey === key)).toBe(true);
  });

  it("with a config: `run` and the default mode start the check-in daemon directly; SIGINT stops it", {
    timeout: TIMEOUT,
  }, async () => {
    const provisioned = await runAppliance([
      "--provision",
      CODES.valid,
      "--api-endpoint",
      fake.url,
      "--state-dir",
      stateDir,
    ]);
    expect(provisioned.code).toBe(0);

    for (const args of [["run"], []]) {
      const before = fake.checkins.length;
      const run = spawnAppliance([...args, "--state-dir", stateDir], {
        env: { OSIRIS_POLL_INTERVAL_S: "0.2", OSIRIS_API_ENDPOINT: "http://127.0.0.1:9" }, // the config's endpoint wins
      });
      await until(() => (run.stdout().match(/ check-in ok /g) ?? []).length >= 1);
      run.child.kill("SIGINT");
      const { code } = await run.exited;
      expect(code).toBe(0);
      expect(run.stdout()).not.toContain("Provisioning");
      expect(run.stdout()).toMatch(
        /check-in daemon started: site partner-clinic-abc123, appliance .*, endpoint http:\/\/127\.0\.0\.1:\d+/,
      );
      expect(fake.checkins.length).toBeGreaterThan(before);
      expect(run.stdout() + run.stderr()).not.toContain(readConfig(stateDir).api_key);
    }
    expect(readFileSync(path.join(stateDir, "config.yaml"), "utf8")).toContain(`api_endpoint: ${fake.url}\n`);
  });
});

describe("bundled bin (esbuild, as npm run build:appliance)", () => {
  it("runs standalone: --help, --provision writes the config, and `run` checks in until SIGTERM", {
    timeout: TIMEOUT,
  }, async () => {
    const { build } = await import("esbuild");
    const outfile = path.join(tmp, "osiris-appliance.mjs");
    // the same options as the build:appliance script in package.json
    await build({
      entryPoints: [path.join(REPO_ROOT, "appliance/src/main.ts")],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      outfile,
      banner: { js: "#!/usr/bin/env node" },
      logLevel: "warning",
    });
    const bin = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [outfile, ...args], { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => {
          stdout += c.toString("utf8");
        });
        child.stderr.on("data", (c: Buffer) => {
          stderr += c.toString("utf8");
        });
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });

    const help = await bin(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: osiris-appliance/);

    const provisioned = await bin(["--provision", CODES.valid, "--api-endpoint", fake.url, "--state-dir", stateDir]);
    expect(provisioned.stderr).toBe("");
    expect(provisioned.code).toBe(0);
    expectProvisioned([provisioned.stdout]);

    // the bundled daemon opens a sealed password (the crypto survives bundling) and stops on SIGTERM
    fake.windowsCredentials = [{ hostname: "dc01", username: "CLINIC\\svc-scan", password: "Bundled-Secret-1" }];
    const env: NodeJS.ProcessEnv = { ...process.env, OSIRIS_POLL_INTERVAL_S: "0.2" };
    for (const key of Object.keys(env))
      if (key.startsWith("OSIRIS_") && key !== "OSIRIS_POLL_INTERVAL_S") delete env[key];
    const daemon = spawn(process.execPath, [outfile, "run", "--state-dir", stateDir], { cwd: tmp, env });
    let output = "";
    daemon.stdout.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    daemon.stderr.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    const closed = new Promise<number | null>((resolve) => daemon.on("close", (code) => resolve(code)));
    await until(() => (output.match(/ check-in ok \(server time [^,]+, 1 Windows target\)/g) ?? []).length >= 2);
    daemon.kill("SIGTERM");
    expect(await closed).toBe(0);
    expect(fake.checkins[0]?.answer.windows_targets[0]?.sealed_password).toBeDefined();
    expect(output).not.toContain("dropping Windows target");
    expect(output).not.toContain("Bundled-Secret-1");
    expect(output).toMatch(/ check-in daemon stopped\n$/);
  });
});
