import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, createConfig, needsProvisioning, readConfig } from "../../src/config/config-file";
import { generateRootSecret } from "../../src/crypto/appliance-key";

const SECRET = "yMnKy8zNzs_Q0dLT1NXW19jZ2tvc3d7f4OHi4-Tl5uc";

let root: string;
let stateDir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "osiris-config-"));
  stateDir = path.join(root, "msp");
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function params(overrides: Partial<Parameters<typeof createConfig>[0]> = {}): Parameters<typeof createConfig>[0] {
  return {
    siteId: "partner-clinic-abc123",
    applianceId: "partner-clinic-abc123-84:3A:5B:91:B6:61",
    applianceSecret: SECRET,
    partnerInfo: { slug: "nepa-it", brand_name: "NEPA IT Solutions", primary_color: "#2563EB" },
    apiEndpoint: "https://api.osiriscare.net",
    stateDir,
    macAddress: "84:3A:5B:91:B6:61",
    hostname: "osiriscare-appliance",
    now: new Date("2026-01-04T15:30:00.000Z"),
    ...overrides,
  };
}

describe("createConfig", () => {
  it("creates <stateDir>/config.yaml and returns its path", () => {
    const file = createConfig(params());
    expect(file).toBe(path.join(stateDir, "config.yaml"));
    expect(statSync(file).isFile()).toBe(true);
  });

  it("writes the seed's fields in the seed's order, with the root secret where the seed has api_key", () => {
    const file = createConfig(params());
    expect(readFileSync(file, "utf8")).toBe(
      [
        "site_id: partner-clinic-abc123",
        "appliance_id: partner-clinic-abc123-84:3A:5B:91:B6:61",
        `appliance_secret: ${SECRET}`,
        "api_endpoint: https://api.osiriscare.net",
        "poll_interval: 60",
        "enable_drift_detection: true",
        "enable_evidence_upload: true",
        "enable_l1_sync: true",
        "healing_enabled: true",
        "healing_dry_run: false",
        `state_dir: ${stateDir}`,
        "log_level: INFO",
        "partner:",
        "  slug: nepa-it",
        "  brand_name: NEPA IT Solutions",
        '  primary_color: "#2563EB"',
        "provisioned_at: 2026-01-04T15:30:00+00:00",
        "mac_address: 84:3A:5B:91:B6:61",
        "hostname: osiriscare-appliance",
        "",
      ].join("\n"),
    );
  });

  it("quotes values YAML would misread, and reads them back unchanged", () => {
    createConfig(
      params({
        siteId: "12345",
        hostname: "true",
        partnerInfo: { slug: "a-b", brand_name: "Acme: IT #1", primary_color: "#abcdef" },
      }),
    );
    const config = readConfig(stateDir);
    expect(config.site_id).toBe("12345");
    expect(config.hostname).toBe("true");
    expect(config.partner).toEqual({ slug: "a-b", brand_name: "Acme: IT #1", primary_color: "#ABCDEF" });
  });

  it("makes the file 0600 and the state directory 0700, also when the directory existed with wider rights", () => {
    mkdirSync(stateDir, { mode: 0o755 });
    chmodSync(stateDir, 0o755);
    const oldUmask = process.umask(0o000);
    try {
      const file = createConfig(params());
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(oldUmask);
    }
  });

  it("creates a missing state directory (and parents) with mode 0700", () => {
    const nested = path.join(root, "a", "b", "msp");
    const file = createConfig(params({ stateDir: nested }));
    expect(file).toBe(path.join(nested, "config.yaml"));
    expect(statSync(nested).mode & 0o777).toBe(0o700);
  });

  it("replaces an existing config atomically and leaves no temporary file behind", () => {
    createConfig(params());
    createConfig(params({ siteId: "second-site" }));
    expect(readdirSync(stateDir)).toEqual(["config.yaml"]);
    expect(readConfig(stateDir).site_id).toBe("second-site");
  });

  it("refuses values that break the config contract and writes nothing", () => {
    expect(() => createConfig(params({ applianceSecret: "short" }))).toThrow(ConfigError);
    expect(() => createConfig(params({ apiEndpoint: "not a url" }))).toThrow(/api_endpoint/);
    expect(needsProvisioning(stateDir)).toBe(true);
  });

  it("stores the root secret as the only secret, readable back", () => {
    const key = generateRootSecret();
    createConfig(params({ applianceSecret: key }));
    const config = readConfig(stateDir);
    expect(config.appliance_secret).toBe(key);
    expect(config.api_key).toBeUndefined();
    expect(readFileSync(path.join(stateDir, "config.yaml"), "utf8").split(key)).toHaveLength(2);
  });
});

describe("readConfig", () => {
  it("parses and validates what createConfig wrote", () => {
    createConfig(params());
    expect(readConfig(stateDir)).toEqual({
      site_id: "partner-clinic-abc123",
      appliance_id: "partner-clinic-abc123-84:3A:5B:91:B6:61",
      appliance_secret: SECRET,
      api_endpoint: "https://api.osiriscare.net",
      poll_interval: 60,
      enable_drift_detection: true,
      enable_evidence_upload: true,
      enable_l1_sync: true,
      healing_enabled: true,
      healing_dry_run: false,
      state_dir: stateDir,
      log_level: "INFO",
      partner: { slug: "nepa-it", brand_name: "NEPA IT Solutions", primary_color: "#2563EB" },
      provisioned_at: "2026-01-04T15:30:00+00:00",
      mac_address: "84:3A:5B:91:B6:61",
      hostname: "osiriscare-appliance",
    });
  });

  it("explains a missing, unparsable or invalid file without printing the key", () => {
    expect(() => readConfig(stateDir)).toThrow(/No configuration at .*config\.yaml/);

    mkdirSync(stateDir, { recursive: true });
    const file = path.join(stateDir, "config.yaml");
    writeFileSync(file, `appliance_secret: ${SECRET}\n  bad: [indent\n`);
    expect(() => readConfig(stateDir)).toThrow(/is not valid YAML/);
    try {
      readConfig(stateDir);
    } catch (err) {
      expect((err as Error).message).not.toContain(SECRET);
    }

    createConfig(params());
    writeFileSync(file, readFileSync(file, "utf8").replace("poll_interval: 60", "poll_interval: soon"));
    expect(() => readConfig(stateDir)).toThrow(/poll_interval/);
  });
});

describe("needsProvisioning", () => {
  it("is true before config.yaml exists and false after", () => {
    expect(needsProvisioning(stateDir)).toBe(true);
    mkdirSync(stateDir);
    expect(needsProvisioning(stateDir)).toBe(true);
    createConfig(params());
    expect(needsProvisioning(stateDir)).toBe(false);
  });
});
