import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import { ApplianceApiKey, ApplianceRootSecret, ClaimResponse, X25519PublicKey } from "../../../server/contracts";
import { needsProvisioning, readConfig } from "../../src/config/config-file";
import { deriveApplianceKeys, generateRootSecret } from "../../src/crypto/appliance-key";
import { claimProvisionCode } from "../../src/provisioning/claim-provision-code";
import { runProvisioningAuto } from "../../src/provisioning/provision";
import { normalizeProvisionCode } from "../../src/provisioning/provision-code";
import { runProvisioningCli } from "../../src/provisioning/provisioning-cli";
import { validateProvisionCode } from "../../src/provisioning/validate-provision-code";
import { CODES, type FakeCentralCommand, PARTNER, SITE_ID } from "../support/fake-central-command";
import { closedPort, startHttpServer } from "../support/http-server";
import { completionScreen } from "../support/seed-screens";
import { freshEnvironmentPerTest } from "../support/test-environment";

const MAC = "84:3A:5B:91:B6:61";
const HOST = "clinic-appliance-01";

const env = freshEnvironmentPerTest("osiris-prov-");
let fake: FakeCentralCommand;
let root: string;
let stateDir: string;
beforeEach(() => {
  ({ fake, root, stateDir } = env);
});

/** A writable that keeps what was written. */
function capture(): PassThrough & { text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return Object.assign(stream, { text: () => text });
}

describe("generateRootSecret", () => {
  it("makes the base64url of 32 random bytes, never the same twice", () => {
    const roots = new Set(Array.from({ length: 2000 }, generateRootSecret));
    expect(roots.size).toBe(2000);
    for (const root of roots) expect(ApplianceRootSecret.safeParse(root).success).toBe(true);
  });
});

describe("normalizeProvisionCode", () => {
  it("accepts lower case, spaces and dashes", () => {
    expect(normalizeProvisionCode(" abcd-1234 efgh-5678\n")).toEqual({ ok: true, code: "ABCD1234EFGH5678" });
  });

  it("rejects empty, short, long and non-alphanumeric codes", () => {
    expect(normalizeProvisionCode("  ")).toEqual({ ok: false, error: "No provision code entered" });
    expect(normalizeProvisionCode("ABC")).toEqual({
      ok: false,
      error: "A provision code has 16 characters; that one has 3",
    });
    expect(normalizeProvisionCode("ABCD1234EFGH56789").ok).toBe(false);
    expect(normalizeProvisionCode("ABCD1234EFGH567!")).toEqual({
      ok: false,
      error: "A provision code contains only letters A-Z and digits 0-9",
    });
  });
});

describe("claimProvisionCode", () => {
  it("claims a code, sending a fresh key, its public key, the MAC and the host name; returns contract-valid data", async () => {
    const result = await claimProvisionCode("abcd-1234-efgh-5678", fake.url, {
      macAddress: MAC.toLowerCase(),
      hostname: HOST,
    });
    if (!result.ok) throw new Error(`claim failed: ${result.error}`);
    expect(ClaimResponse.parse(result.data)).toEqual(result.data);
    expect(result.data).toEqual({
      status: "claimed",
      site_id: SITE_ID,
      appliance_id: `${SITE_ID}-${MAC}`,
      partner: PARTNER,
      api_endpoint: fake.url,
    });
    expect(ApplianceApiKey.safeParse(result.apiKey).success).toBe(true);
    expect(deriveApplianceKeys(result.applianceSecret).apiKey).toBe(result.apiKey);

    expect(fake.problems).toEqual([]);
    expect(fake.claims).toHaveLength(1);
    expect(fake.requests[0]?.body).toEqual({
      provision_code: CODES.valid,
      mac_address: MAC,
      hostname: HOST,
      api_key: result.apiKey,
      public_key: deriveApplianceKeys(result.applianceSecret).keyPair.publicKeyBase64,
    });
  });

  it("uses a different key (and so a different public key) for every claim", async () => {
    const a = await claimProvisionCode(CODES.valid, fake.url, { macAddress: MAC, hostname: HOST });
    const b = await claimProvisionCode(CODES.valid2, fake.url, { macAddress: MAC, hostname: HOST });
    if (!a.ok || !b.ok) throw new Error("claims failed");
    expect(a.apiKey).not.toBe(b.apiKey);
    expect(fake.claims.map((c) => c.api_key)).toEqual([a.apiKey, b.apiKey]);
    const publicKeys = fake.claims.map((c) => c.public_key);
    expect(publicKeys).toEqual([
      deriveApplianceKeys(a.applianceSecret).keyPair.publicKeyBase64,
      deriveApplianceKeys(b.applianceSecret).keyPair.publicKeyBase64,
    ]);
    expect(publicKeys[0]).not.toBe(publicKeys[1]);
    for (const key of publicKeys) expect(X25519PublicKey.safeParse(key).success).toBe(true);
  });

  it("uses this machine's MAC address and host name by default", async () => {
    const result = await claimProvisionCode(CODES.valid, fake.url);
    expect(result.ok).toBe(true);
    expect(fake.problems).toEqual([]);
    expect(fake.claims[0]?.mac_address).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
  });

  it('answers "Invalid provision code" for a 404', async () => {
    const result = await claimProvisionCode(CODES.unknown, fake.url, { macAddress: MAC, hostname: HOST });
    expect(result).toEqual({ ok: false, error: "Invalid provision code", status: 404 });
  });

  it('answers "Provision code expired" for a 410', async () => {
    const result = await claimProvisionCode(CODES.expired, fake.url, { macAddress: MAC, hostname: HOST });
    expect(result).toEqual({ ok: false, error: "Provision code expired", status: 410 });
  });

  it('answers "Code already claimed" for a 409, including a second claim of the same code', async () => {
    const claimed = await claimProvisionCode(CODES.claimed, fake.url, { macAddress: MAC, hostname: HOST });
    expect(claimed).toEqual({ ok: false, error: "Code already claimed", status: 409 });

    expect((await claimProvisionCode(CODES.valid, fake.url, { macAddress: MAC, hostname: HOST })).ok).toBe(true);
    const again = await claimProvisionCode(CODES.valid, fake.url, { macAddress: MAC, hostname: HOST });
    expect(again).toEqual({ ok: false, error: "Code already claimed", status: 409 });
  });

  it('answers "Connection timed out" when the server accepts but never answers', async () => {
    const started = Date.now();
    const result = await claimProvisionCode(CODES.hang, fake.url, { macAddress: MAC, hostname: HOST, timeoutMs: 300 });
    expect(result).toEqual({ ok: false, error: "Connection timed out" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fake.requests.map((r) => r.path)).toEqual(["/api/provision/claim"]); // it did reach the server
  });

  it("times out when the headers arrive but the body never finishes", async () => {
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"status":"claimed",');
    });
    try {
      const result = await claimProvisionCode(CODES.valid, server.url, {
        macAddress: MAC,
        hostname: HOST,
        timeoutMs: 300,
      });
      expect(result).toEqual({ ok: false, error: "Connection timed out" });
    } finally {
      await server.close();
    }
  });

  it('answers "Failed to connect to server" when nothing listens', async () => {
    const port = await closedPort();
    const result = await claimProvisionCode(CODES.valid, `http://127.0.0.1:${port}`, {
      macAddress: MAC,
      hostname: HOST,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("Failed to connect to server");
    expect(result.detail).toMatch(/ECONNREFUSED/);
  });

  it("passes on the server's message for other errors, with Retry-After for a 429", async () => {
    const limited = await claimProvisionCode(CODES.rateLimited, fake.url, { macAddress: MAC, hostname: HOST });
    expect(limited).toEqual({ ok: false, error: "Too many provisioning attempts; try again in 42 s", status: 429 });

    const gateway = await claimProvisionCode(CODES.serverError, fake.url, { macAddress: MAC, hostname: HOST });
    expect(gateway).toEqual({ ok: false, error: "Server answered HTTP 502", status: 502 });
  });

  it("fails clearly when a 200 answer does not match the contract", async () => {
    const result = await claimProvisionCode(CODES.badBody, fake.url, { macAddress: MAC, hostname: HOST });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^Unexpected response from server: .*appliance_id/);
  });

  it("does not follow redirects", async () => {
    const server = await startHttpServer((_req, res) => {
      res.writeHead(307, { location: `${fake.url}/api/provision/claim` });
      res.end();
    });
    try {
      const result = await claimProvisionCode(CODES.valid, server.url, { macAddress: MAC, hostname: HOST });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^Server redirected to .* \(HTTP 307\)/);
      expect(fake.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("rejects a malformed code without contacting the server", async () => {
    const result = await claimProvisionCode("ABC", fake.url, { macAddress: MAC, hostname: HOST });
    expect(result).toEqual({ ok: false, error: "A provision code has 16 characters; that one has 3" });
    expect(fake.requests).toEqual([]);
  });

  it("refuses to send a request that breaks the contract (an unusable host name)", async () => {
    const result = await claimProvisionCode(CODES.valid, fake.url, { macAddress: MAC, hostname: "front desk" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Invalid claim request: hostname: must be a host name/);
    expect(fake.requests).toEqual([]);
  });

  it("keeps an API path prefix of the endpoint", async () => {
    const result = await claimProvisionCode(CODES.valid, `${fake.url}/central/`, { macAddress: MAC, hostname: HOST });
    expect(result).toEqual({ ok: false, error: "Invalid provision code", status: 404 });
    expect(fake.requests[0]?.path).toBe("/central/api/provision/claim");
  });
});

describe("validateProvisionCode", () => {
  it("returns the partner's branding for a valid code and the seed's errors otherwise", async () => {
    const valid = await validateProvisionCode(CODES.valid.toLowerCase(), fake.url);
    expect(valid.ok && valid.data.partner).toEqual({ brand_name: PARTNER.brand_name, primary_color: "#2563EB" });
    expect(await validateProvisionCode(CODES.expired, fake.url)).toEqual({
      ok: false,
      error: "Provision code expired",
    });
    expect(await validateProvisionCode(CODES.unknown, fake.url)).toEqual({
      ok: false,
      error: "Invalid provision code",
    });
    expect(fake.claims).toEqual([]);
  });
});

describe("runProvisioningAuto (full flow against the server)", () => {
  it("claims, writes a valid config holding the key sent in the claim, and reports configuring", async () => {
    expect(needsProvisioning(stateDir)).toBe(true);
    const output = capture();
    const ok = await runProvisioningAuto(CODES.valid, {
      apiEndpoint: fake.url,
      stateDir,
      output,
      macAddress: MAC,
      hostname: HOST,
    });
    const configFile = path.join(stateDir, "config.yaml");
    expect(ok).toBe(true);
    expect(output.text()).toBe(`Provisioning...\n${completionScreen(configFile)}`);
    expect(needsProvisioning(stateDir)).toBe(false);

    const config = readConfig(stateDir);
    // config.yaml keeps only the root secret; the API key and public key sent are re-derived from it alone
    expect(config.api_key).toBeUndefined();
    const keys = deriveApplianceKeys(config.appliance_secret ?? "");
    expect(fake.claims[0]?.api_key).toBe(keys.apiKey);
    expect(fake.claims[0]?.public_key).toBe(keys.keyPair.publicKeyBase64);
    expect(config).toMatchObject({
      site_id: SITE_ID,
      appliance_id: `${SITE_ID}-${MAC}`,
      api_endpoint: fake.url,
      partner: PARTNER,
      mac_address: MAC,
      hostname: HOST,
      state_dir: stateDir,
    });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);

    expect(fake.statuses).toEqual([
      {
        apiKey: keys.apiKey,
        body: {
          appliance_id: `${SITE_ID}-${MAC}`,
          status: "configuring",
          progress: 50,
          message: "Configuration written",
        },
      },
    ]);
    expect(fake.problems).toEqual([]);
    expect(output.text()).not.toContain(keys.apiKey);
    expect(output.text()).not.toContain(config.appliance_secret);
  });

  it("still succeeds when the status report fails, with a warning", async () => {
    fake.failStatusWith = 503;
    const output = capture();
    const errors = capture();
    const ok = await runProvisioningAuto(CODES.valid, {
      apiEndpoint: fake.url,
      stateDir,
      output,
      errorOutput: errors,
      macAddress: MAC,
      hostname: HOST,
    });
    expect(ok).toBe(true);
    expect(errors.text()).toBe("Warning: could not report provisioning status: Status unavailable (HTTP 503)\n");
    expect(deriveApplianceKeys(readConfig(stateDir).appliance_secret ?? "").apiKey).toBe(fake.claims[0]?.api_key);
  });

  it("prints the error and writes nothing when the claim fails", async () => {
    const output = capture();
    const ok = await runProvisioningAuto(CODES.expired, {
      apiEndpoint: fake.url,
      stateDir,
      output,
      macAddress: MAC,
      hostname: HOST,
    });
    expect(ok).toBe(false);
    expect(output.text()).toBe("Provisioning...\nProvisioning failed: Provision code expired\n");
    expect(needsProvisioning(stateDir)).toBe(true);
  });

  it("does not spend the code when the config cannot be written", async () => {
    const blocker = path.join(root, "file");
    writeFileSync(blocker, "not a directory");
    const output = capture();
    const ok = await runProvisioningAuto(CODES.valid, {
      apiEndpoint: fake.url,
      stateDir: path.join(blocker, "msp"),
      output,
      macAddress: MAC,
      hostname: HOST,
    });
    expect(ok).toBe(false);
    expect(output.text()).toMatch(/Provisioning failed: Cannot write the configuration to .*file\/msp: ENOTDIR/);
    expect(fake.requests).toEqual([]);
  });
});

describe("runProvisioningCli", () => {
  const HEADER = [
    "============================================================",
    "  OsirisCare Appliance Provisioning",
    "============================================================",
    "",
    `MAC Address: ${MAC}`,
    `Hostname:    ${HOST}`,
    "",
    "Enter your provision code (from partner dashboard):",
    "Format: XXXXXXXXXXXXXXXX (16 characters)",
    "",
    "",
  ].join("\n");

  async function runCli(lines: string, maxAttempts?: number) {
    const input = new PassThrough();
    const output = capture();
    input.end(lines);
    const ok = await runProvisioningCli({
      apiEndpoint: fake.url,
      stateDir,
      input,
      output,
      macAddress: MAC,
      hostname: HOST,
      maxAttempts,
    });
    return { ok, text: output.text() };
  }

  it("shows the seed's screens and provisions with a typed code", async () => {
    const { ok, text } = await runCli("abcd-1234-efgh-5678\n");
    expect(ok).toBe(true);
    expect(text).toBe(
      `${HEADER}Provision Code: \n\nProvisioning...\n${completionScreen(path.join(stateDir, "config.yaml"))}`,
    );
    expect(deriveApplianceKeys(readConfig(stateDir).appliance_secret ?? "").apiKey).toBe(fake.claims[0]?.api_key);
  });

  it("re-prompts on a malformed code without contacting the server", async () => {
    const { ok, text } = await runCli("abc\n\nABCD1234EFGH5678\n");
    expect(ok).toBe(true);
    expect(text).toContain(
      "Provision Code: \nA provision code has 16 characters; that one has 3. Please try again.\n\n" +
        "Provision Code: \nNo provision code entered. Please try again.\n\nProvision Code: \n\nProvisioning...",
    );
    expect(fake.requests.map((r) => r.path)).toEqual(["/api/provision/claim", "/api/provision/status"]);
  });

  it("lets the technician try another code after a server error", async () => {
    const { ok, text } = await runCli(`${CODES.unknown}\n${CODES.valid}\n`);
    expect(ok).toBe(true);
    expect(text).toContain("Provisioning failed: Invalid provision code\n");
    expect(text).toContain("Enter another provision code, or press Ctrl-D to cancel.");
    expect(text).toContain("  Provisioning Complete!");
  });

  it("gives up after maxAttempts failed claims", async () => {
    const { ok, text } = await runCli(`${CODES.expired}\n${CODES.claimed}\n${CODES.valid}\n`, 2);
    expect(ok).toBe(false);
    expect(text).toContain("Provisioning failed: Provision code expired\n");
    expect(text).toContain("Provisioning failed: Code already claimed\n");
    expect(fake.claims).toEqual([]);
    expect(existsSync(path.join(stateDir, "config.yaml"))).toBe(false);
  });

  it("ends cleanly with false at end of input", async () => {
    const { ok, text } = await runCli("");
    expect(ok).toBe(false);
    expect(text).toBe(`${HEADER}Provision Code: \n\nNo provision code entered; provisioning cancelled.\n`);
    expect(fake.requests).toEqual([]);
  });

  it("reads a code typed after the prompt appeared", async () => {
    const input = new PassThrough();
    const output = capture();
    const done = runProvisioningCli({
      apiEndpoint: fake.url,
      stateDir,
      input,
      output,
      macAddress: MAC,
      hostname: HOST,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output.text().endsWith("Provision Code: ")).toBe(true);
    input.write(`${CODES.valid}\n`);
    expect(await done).toBe(true);
    expect(readFileSync(path.join(stateDir, "config.yaml"), "utf8")).toContain(`site_id: ${SITE_ID}\n`);
    input.end();
  });
});
