import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config/config-file";
import { deriveApplianceKeys } from "../../src/crypto/appliance-key";
import { spawnAppliance } from "../support/appliance-process";
import { CODES, type FakeCentralCommand } from "../support/fake-central-command";
import { closedPort } from "../support/http-server";
import { freshEnvironmentPerTest } from "../support/test-environment";
import { until } from "../support/until";

const TIMEOUT = 30_000;

const env = freshEnvironmentPerTest("osiris-daemon-");
let fake: FakeCentralCommand;
let tmp: string;
let stateDir: string;
beforeEach(() => {
  ({ fake, root: tmp, stateDir } = env);
});

/** Every regular file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The ways a secret could sit in a file: as text, UTF-16, base64 or hex. */
function encodings(secret: string): Buffer[] {
  const utf8 = Buffer.from(secret, "utf8");
  return [
    utf8,
    Buffer.from(secret, "utf16le"),
    Buffer.from(utf8.toString("base64")),
    Buffer.from(utf8.toString("hex")),
  ];
}

const rootSecret = () => readConfig(stateDir).appliance_secret ?? "";

async function provision(): Promise<string> {
  const run = spawnAppliance(["--provision", CODES.valid, "--api-endpoint", fake.url, "--state-dir", stateDir]);
  const { code } = await run.exited;
  expect(code).toBe(0);
  return deriveApplianceKeys(readConfig(stateDir).appliance_secret ?? "").apiKey;
}

describe("osiris-appliance run (check-in daemon)", () => {
  it("keeps Windows passwords out of the state dir and out of its output; the root secret only in config.yaml", {
    timeout: TIMEOUT,
  }, async () => {
    const apiKey = await provision();
    expect(fake.claims[0]?.public_key).toBeDefined(); // so the fake seals what it can

    const SEALED_PASSWORD = "Dc01-Sealed-Winter2026!";
    const PLAIN_PASSWORD = "Ws01-Plain-Spring2026?";
    fake.windowsCredentials = [
      { hostname: "dc01.clinic.local", username: "CLINIC\\svc-scan", password: SEALED_PASSWORD },
      { hostname: "ws01", username: "CLINIC\\ws-admin", password: PLAIN_PASSWORD, deliver: "plain" },
    ];
    fake.flags = { enumeration: true, immediateScan: true };

    // DNS for discovery: a port nothing answers on, so discovery fails at once whatever this machine's resolv.conf says.
    const run = spawnAppliance(["run", "--state-dir", stateDir], {
      env: { OSIRIS_POLL_INTERVAL_S: "0.2", OSIRIS_DNS_SERVERS: `127.0.0.1:${await closedPort()}` },
    });
    await until(
      () =>
        (run.stdout().match(/ check-in ok /g) ?? []).length >= 4 &&
        fake.checkins.some((c) => c.body.last_scan_completed_at !== undefined) &&
        fake.discoveryFailures.length > 0,
    );
    run.child.kill("SIGTERM");
    const exit = await run.exited;
    expect(exit).toEqual({ code: 0, signal: null });

    const stdout = run.stdout();
    const stderr = run.stderr();
    expect(stderr).toBe("");
    expect(stdout).toMatch(/ check-in daemon stopped\n$/);
    // the daemon held the sealed password and refused the plain one (a downgrade), reporting it back
    const answer = fake.checkins[0]?.answer.windows_targets ?? [];
    expect(answer.map((t) => [t.hostname, t.sealed_password !== undefined, t.password !== undefined])).toEqual([
      ["dc01.clinic.local", true, false],
      ["ws01", false, true],
    ]);
    expect(stdout).toContain("Windows targets now 1 (added dc01.clinic.local)");
    expect(stdout).toContain("check-in ok (server time");
    expect(stdout).toContain(", 1 Windows target); next in");
    expect(stdout).toContain("not using Windows target ws01: it came with a plain password");
    expect(fake.checkins.some((c) => c.body.unusable_targets?.[0]?.hostname === "ws01")).toBe(true);
    // the enumeration flag ran the real handler: this site has no domain credential (and no domain to report under)
    expect(stdout).toContain("enumeration not started: Central Command has no domain credential for this site");
    // domain discovery ran at start and told Central Command what it searched
    expect(fake.discoveryFailures[0]?.error).toMatch(/^no domain found/);
    expect(fake.problems).toEqual([]);

    // nothing but config.yaml in the state dir (and reports not yet acknowledged in outbox/), and no password in
    // any file there
    const files = filesUnder(stateDir).map((f) => path.relative(stateDir, f));
    expect(files.filter((f) => !f.startsWith("outbox/"))).toEqual(["config.yaml"]);
    for (const file of filesUnder(tmp)) {
      const content = readFileSync(file);
      for (const password of [SEALED_PASSWORD, PLAIN_PASSWORD]) {
        for (const form of encodings(password))
          expect({ file, found: content.includes(form) }).toEqual({ file, found: false });
      }
      // The derived API key is on disk nowhere; the root secret only in config.yaml.
      expect({ file, hasKey: content.includes(Buffer.from(apiKey)) }).toEqual({ file, hasKey: false });
      const hasRoot = content.includes(Buffer.from(rootSecret()));
      expect({ file, hasRoot }).toEqual({ file, hasRoot: path.basename(file) === "config.yaml" });
    }

    // nor in anything it printed (nor the API key, nor the user names)
    for (const text of [stdout, stderr]) {
      for (const secret of [SEALED_PASSWORD, PLAIN_PASSWORD, apiKey, "svc-scan", "ws-admin"]) {
        expect(text).not.toContain(secret);
      }
      for (const password of [SEALED_PASSWORD, PLAIN_PASSWORD]) {
        for (const form of encodings(password).slice(2)) expect(text).not.toContain(form.toString("utf8"));
      }
    }
  });

  it("exits 0 on SIGTERM while a check-in is backing off against a server that is down", {
    timeout: TIMEOUT,
  }, async () => {
    await provision();
    fake.checkinDown = { kind: "status", status: 503 };
    const run = spawnAppliance(["run", "--state-dir", stateDir], { env: { OSIRIS_POLL_INTERVAL_S: "0.2" } });
    await until(() => (run.stdout().match(/check-in failed: Check-in unavailable \(HTTP 503\)/g) ?? []).length >= 2);
    run.child.kill("SIGTERM");
    const exit = await run.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/ check-in daemon stopped\n$/);
    // backoff starts at the (overridden) poll interval of 0.2 s and doubles; ±10 % jitter rounds away here
    expect(run.stdout()).toMatch(/next attempt in 0\.2 s\n[^\n]*check-in failed: [^\n]*next attempt in 0\.4 s\n/);
  });
});
