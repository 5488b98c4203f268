/** FILETIME conversion (expected values computed independently with Python datetime) and the classification of AD computer objects. */
import { describe, expect, it } from "vitest";
import { classifyComputer, type LdapEntry } from "../../src/directory/enumeration/classify-computer";
import { dateToFiletime, filetimeToDate } from "../../src/directory/ldap/filetime";

const NOW = new Date("2026-12-01T00:00:00Z");

function entry(overrides: LdapEntry = {}): LdapEntry {
  return {
    dn: "CN=FS01,OU=Servers,DC=clinic,DC=local",
    name: "FS01",
    dNSHostName: "fs01.clinic.local",
    operatingSystem: "Windows Server 2022 Standard",
    operatingSystemVersion: "10.0 (20348)",
    distinguishedName: "CN=FS01,OU=Servers,DC=clinic,DC=local",
    userAccountControl: "4096",
    primaryGroupID: "515",
    lastLogonTimestamp: dateToFiletime(new Date("2026-11-30T12:00:00Z")),
    ...overrides,
  };
}

describe("FILETIME", () => {
  it("converts 100-ns ticks since 1601 both ways", () => {
    expect(filetimeToDate("116444736000000000")?.toISOString()).toBe("1970-01-01T00:00:00.000Z");
    expect(filetimeToDate("134000000000000000")?.toISOString()).toBe("2025-08-18T14:13:20.000Z");
    expect(dateToFiletime(new Date("2026-12-01T00:00:00Z"))).toBe("134405568000000000");
    const d = new Date("2024-02-29T13:14:15.123Z");
    expect(filetimeToDate(dateToFiletime(d))?.toISOString()).toBe(d.toISOString());
  });

  it("treats 0, the maximum (never), empty and junk as no date", () => {
    expect(filetimeToDate("0")).toBeNull();
    expect(filetimeToDate("9223372036854775807")).toBeNull();
    expect(filetimeToDate("")).toBeNull();
    expect(filetimeToDate(undefined)).toBeNull();
    expect(filetimeToDate("-1")).toBeNull();
    expect(filetimeToDate("12abc")).toBeNull();
  });
});

describe("classifyComputer", () => {
  it("a member server: the issue's computer shape", () => {
    expect(classifyComputer(entry(), NOW)).toEqual({
      kind: "server",
      computer: {
        hostname: "fs01.clinic.local",
        name: "FS01",
        os: "Windows Server 2022 Standard",
        os_version: "10.0 (20348)",
        distinguished_name: "CN=FS01,OU=Servers,DC=clinic,DC=local",
        enabled: true,
        last_logon: "2026-11-30T12:00:00.000Z",
        is_domain_controller: false,
        stale: false,
      },
    });
  });

  it("domain controllers by SERVER_TRUST_ACCOUNT, or by primaryGroupID 516 (DC) / 521 (RODC)", () => {
    const byUac = classifyComputer(entry({ userAccountControl: "532480", operatingSystem: "Samba" }), NOW);
    expect(byUac).toMatchObject({ kind: "server", computer: { is_domain_controller: true } });
    expect(
      classifyComputer(entry({ primaryGroupID: "516", operatingSystem: [] }), NOW).computer.is_domain_controller,
    ).toBe(true);
    expect(
      classifyComputer(entry({ primaryGroupID: "521", userAccountControl: "4096" }), NOW).computer.is_domain_controller,
    ).toBe(true);
    expect(classifyComputer(entry({ primaryGroupID: "515" }), NOW).computer.is_domain_controller).toBe(false);
  });

  it("servers by an operating system containing 'Server'; everything else is a workstation", () => {
    expect(classifyComputer(entry({ operatingSystem: "Windows Server 2012 R2 Standard" }), NOW).kind).toBe("server");
    expect(classifyComputer(entry({ operatingSystem: "Windows 11 Pro" }), NOW).kind).toBe("workstation");
    const noOs = classifyComputer(entry({ operatingSystem: [], operatingSystemVersion: [] }), NOW);
    expect(noOs.kind).toBe("workstation");
    expect(noOs.computer).toMatchObject({ os: null, os_version: null });
  });

  it("disabled by ACCOUNTDISABLE (0x2)", () => {
    expect(classifyComputer(entry({ userAccountControl: "4098" }), NOW).computer.enabled).toBe(false);
    expect(classifyComputer(entry({ userAccountControl: "4096" }), NOW).computer.enabled).toBe(true);
  });

  it("stale after 60 days without logon; never logged on is not stale", () => {
    const at = (iso: string) => classifyComputer(entry({ lastLogonTimestamp: dateToFiletime(new Date(iso)) }), NOW);
    expect(at("2026-10-03T00:00:00Z").computer.stale).toBe(false); // 59 days
    expect(at("2026-10-01T00:00:00Z").computer.stale).toBe(true); // 61 days
    const never = classifyComputer(entry({ lastLogonTimestamp: [] }), NOW).computer;
    expect(never).toMatchObject({ last_logon: null, stale: false });
  });

  it("falls back to the name when dNSHostName is missing, and to the DN's RDN when name is", () => {
    expect(classifyComputer(entry({ dNSHostName: [] }), NOW).computer.hostname).toBe("FS01");
    const c = classifyComputer(
      entry({ name: [], dNSHostName: [], distinguishedName: "CN=WS\\,01,OU=X,DC=a,DC=b" }),
      NOW,
    );
    expect(c.computer).toMatchObject({ name: "WS,01", hostname: "WS,01" });
  });
});
