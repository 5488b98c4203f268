import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { parse } from "yaml";
import { deriveApplianceKeys } from "../../appliance/src/crypto/appliance-key";
import { API_ENDPOINT, appliance, stateDir } from "../appliance";
import { fixtures } from "../fixtures";

async function newCode(
  request: APIRequestContext,
  body: Record<string, unknown> = { client_name: "Smith Family Clinic" },
) {
  const res = await request.post("/api/partners/me/provision-codes", {
    data: body,
    headers: { authorization: `Bearer ${fixtures().nepa.token}` },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; code: string };
}

test.describe("the appliance CLI against the running server", () => {
  test("--provision CODE provisions and writes the seed's config.yaml with mode 0600", async ({ request }) => {
    const { code } = await newCode(request);
    const dir = stateDir();
    const out = appliance(["--provision", code, "--state-dir", dir, "--api-endpoint", API_ENDPOINT]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain("Provisioning Complete!");
    expect(out.stdout).toContain("Partner:     NEPA IT Solutions");

    const file = path.join(dir, "config.yaml");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const config = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(Object.keys(config)).toEqual([
      "site_id",
      "appliance_id",
      "appliance_secret",
      "api_endpoint",
      "poll_interval",
      "enable_drift_detection",
      "enable_evidence_upload",
      "enable_l1_sync",
      "healing_enabled",
      "healing_dry_run",
      "state_dir",
      "log_level",
      "partner",
      "provisioned_at",
      "mac_address",
      "hostname",
    ]);
    expect(config.site_id).toMatch(/^nepa-it-smith-family-clinic-[a-z0-9]{6}$/);
    expect(config.appliance_id).toBe(`${config.site_id}-${config.mac_address}`);
    // One secret on disk: the root the API key and the sealing key are derived from.
    expect(config.appliance_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(config.api_key).toBeUndefined();
    const { apiKey } = deriveApplianceKeys(String(config.appliance_secret));
    expect(config.partner).toEqual({ slug: "nepa-it", brand_name: "NEPA IT Solutions", primary_color: "#2563EB" });
    expect(out.stdout).not.toContain(String(config.appliance_secret));
    expect(out.stdout).not.toContain(apiKey);

    // The registered key works: the appliance can read its own configuration.
    const cfg = await request.get(`/api/provision/config/${encodeURIComponent(String(config.appliance_id))}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(cfg.status()).toBe(200);
  });

  test("interactive provisioning through stdin, re-prompting on a malformed code", async ({ request }) => {
    const { code } = await newCode(request, { client_name: "Lakeside Dental" });
    const dir = stateDir();
    const out = appliance(["--provision-interactive", "--state-dir", dir, "--api-endpoint", API_ENDPOINT], {
      input: `not-a-code\n${code.toLowerCase()}\n`,
    });
    expect(out.code, out.stderr + out.stdout).toBe(0);
    expect(out.stdout).toContain("OsirisCare Appliance Provisioning");
    expect(out.stdout).toContain("Format: XXXXXXXXXXXXXXXX (16 characters)");
    expect(out.stdout.match(/Provision Code: /g)?.length).toBeGreaterThanOrEqual(2);
    expect(out.stdout).toContain("Provisioning Complete!");
    expect(statSync(path.join(dir, "config.yaml")).mode & 0o777).toBe(0o600);
  });

  test("every error row of the seed's table, from the CLI", async ({ request }) => {
    const run = (code: string, endpoint = API_ENDPOINT) =>
      appliance(["--provision", code, "--state-dir", stateDir(), "--api-endpoint", endpoint]);

    const invalid = run("ZZZZZZZZZZZZZZZZ");
    expect(invalid.code).toBe(1);
    expect(invalid.stdout + invalid.stderr).toContain("Invalid provision code");

    const { code: used } = await newCode(request);
    expect(run(used).code).toBe(0);
    const claimed = run(used);
    expect(claimed.code).toBe(1);
    expect(claimed.stdout + claimed.stderr).toContain("Code already claimed");

    const { id, code: revoked } = await newCode(request);
    await request.delete(`/api/partners/me/provision-codes/${id}`, {
      headers: { authorization: `Bearer ${fixtures().nepa.token}` },
    });
    const expired = run(revoked);
    expect(expired.code).toBe(1);
    expect(expired.stdout + expired.stderr).toContain("Provision code expired");

    const { code: shortLived } = await newCode(request, { client_name: "Short", ttl_seconds: 1 });
    await new Promise((r) => setTimeout(r, 1_500));
    const lapsed = run(shortLived);
    expect(lapsed.code).toBe(1);
    expect(lapsed.stdout + lapsed.stderr).toContain("Provision code expired");

    const refused = run("AAAABBBBCCCCDDDD", "http://127.0.0.1:9");
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain("Failed to connect to server");
  });
});
