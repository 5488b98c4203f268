import { describe, expect, it } from "vitest";
import { parseApplianceEnv } from "../../src/config/env";

describe("parseApplianceEnv", () => {
  it("reads the OSIRIS_* variables, seconds as milliseconds, and ignores the rest", () => {
    expect(
      parseApplianceEnv({
        OSIRIS_API_ENDPOINT: "https://cc.example/central",
        OSIRIS_STATE_DIR: "/tmp/msp",
        OSIRIS_HTTP_TIMEOUT_S: "2.5",
        OSIRIS_POLL_INTERVAL_S: "0.2",
        PATH: "/usr/bin",
      }),
    ).toEqual({
      ok: true,
      env: {
        OSIRIS_API_ENDPOINT: "https://cc.example/central",
        OSIRIS_STATE_DIR: "/tmp/msp",
        OSIRIS_HTTP_TIMEOUT_S: 2500,
        OSIRIS_POLL_INTERVAL_S: 200,
      },
    });
  });

  it("treats an empty variable as unset", () => {
    const parsed = parseApplianceEnv({ OSIRIS_API_ENDPOINT: "", OSIRIS_STATE_DIR: "", OSIRIS_POLL_INTERVAL_S: "" });
    expect(parsed).toEqual({ ok: true, env: {} });
  });

  it("names the variable and the value it cannot use", () => {
    expect(parseApplianceEnv({ OSIRIS_API_ENDPOINT: "ftp://cc.example" })).toEqual({
      ok: false,
      error: 'OSIRIS_API_ENDPOINT must be an http:// or https:// URL, got "ftp://cc.example"',
    });
    for (const value of ["soon", "0", "-1", "Infinity"]) {
      expect(parseApplianceEnv({ OSIRIS_HTTP_TIMEOUT_S: value })).toEqual({
        ok: false,
        error: `OSIRIS_HTTP_TIMEOUT_S must be a positive number of seconds, got "${value}"`,
      });
    }
    expect(parseApplianceEnv({ OSIRIS_POLL_INTERVAL_S: "x" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^OSIRIS_POLL_INTERVAL_S must be a positive number/),
    });
  });

  it("reads the directory settings: DNS servers for discovery and the enumeration budget", () => {
    expect(
      parseApplianceEnv({
        OSIRIS_DNS_SERVERS: "10.0.0.10, 10.0.0.11:5353 [fd00::53]:53",
        OSIRIS_AD_ENUMERATION_BUDGET_S: "30",
      }),
    ).toEqual({
      ok: true,
      env: {
        OSIRIS_DNS_SERVERS: ["10.0.0.10", "10.0.0.11:5353", "[fd00::53]:53"],
        OSIRIS_AD_ENUMERATION_BUDGET_S: 30_000,
      },
    });
    expect(parseApplianceEnv({ OSIRIS_DNS_SERVERS: "10.0.0.10,dc1.clinic.local" })).toEqual({
      ok: false,
      error: 'OSIRIS_DNS_SERVERS must list DNS servers as IP addresses (optionally :port), got "dc1.clinic.local"',
    });
  });

  it("reads the scan settings: servers scanned at once and the time limit per server", () => {
    expect(parseApplianceEnv({ OSIRIS_SCAN_CONCURRENCY: "32", OSIRIS_SCAN_HOST_TIMEOUT_S: "90" })).toEqual({
      ok: true,
      env: { OSIRIS_SCAN_CONCURRENCY: 32, OSIRIS_SCAN_HOST_TIMEOUT_S: 90_000 },
    });
    for (const value of ["0", "2.5", "many", "257"]) {
      expect(parseApplianceEnv({ OSIRIS_SCAN_CONCURRENCY: value })).toEqual({
        ok: false,
        error: `OSIRIS_SCAN_CONCURRENCY must be a whole number from 1 to 256, got "${value}"`,
      });
    }
  });
});
