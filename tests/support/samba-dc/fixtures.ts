/**
 * The test domain's directory, as LDIF for an offline `ldbadd`: servers and workstations in nested OUs, a
 * disabled and a stale computer, and more than one LDAP page of computers (the DC itself comes from provisioning).
 * Deterministic: the snapshot of a built DC is keyed by a hash of this text. Staleness is judged against
 * FIXTURE_NOW (pass it as `now` to the enumeration), so the snapshot never goes stale itself.
 */
import { dateToFiletime } from "@/appliance/src/directory/ldap/filetime";

export const REALM = "CLINIC.TEST";
export const DOMAIN = "clinic.test";
export const NETBIOS = "CLINIC";
export const BASE_DN = "DC=clinic,DC=test";
export const DC_HOSTNAME = "dc1.clinic.test";
export const ADMIN_USER = "Administrator@clinic.test";
export const ADMIN_PASSWORD = "Passw0rd!Adm1n";
export const LOCKOUT_THRESHOLD = 3;

/** "Now" for staleness: recent logons are two days before it, the stale one a year and a half. */
export const FIXTURE_NOW = new Date("2026-12-01T00:00:00Z");
const RECENT = dateToFiletime(new Date(FIXTURE_NOW.getTime() - 2 * 86_400_000));
const STALE = dateToFiletime(new Date("2025-06-01T00:00:00Z"));

export const BULK_WORKSTATIONS = 600;

interface FixtureComputer {
  cn: string;
  container: string;
  os: string;
  osVersion: string;
  uac: number;
  lastLogon?: string;
}

const OUS = [
  "OU=Servers",
  "OU=Workstations",
  "OU=Reception,OU=Workstations",
  "OU=Exam Rooms,OU=Reception,OU=Workstations",
  "OU=Fleet",
];

const NAMED: FixtureComputer[] = [
  { cn: "FS01", container: "OU=Servers", os: "Windows Server 2022 Standard", osVersion: "10.0 (20348)", uac: 4096 },
  { cn: "SQL01", container: "OU=Servers", os: "Windows Server 2019 Datacenter", osVersion: "10.0 (17763)", uac: 4096 },
  { cn: "APP01", container: "CN=Computers", os: "Windows Server 2016 Standard", osVersion: "10.0 (14393)", uac: 4096 },
  {
    cn: "WS-RECEP01",
    container: "OU=Reception,OU=Workstations",
    os: "Windows 11 Pro",
    osVersion: "10.0 (22631)",
    uac: 4096,
  },
  {
    cn: "WS-EXAM01",
    container: "OU=Exam Rooms,OU=Reception,OU=Workstations",
    os: "Windows 11 Pro",
    osVersion: "10.0 (22631)",
    uac: 4096,
  },
  { cn: "WS-DR01", container: "OU=Workstations", os: "Windows 10 Enterprise", osVersion: "10.0 (19045)", uac: 4096 },
  { cn: "LAPTOP-07", container: "CN=Computers", os: "Windows 11 Enterprise", osVersion: "10.0 (22631)", uac: 4096 },
  // disabled: WORKSTATION_TRUST_ACCOUNT 4096 + ACCOUNTDISABLE 2
  { cn: "WS-OLD01", container: "OU=Workstations", os: "Windows 7 Professional", osVersion: "6.1 (7601)", uac: 4098 },
  {
    cn: "WS-STALE01",
    container: "OU=Workstations",
    os: "Windows 10 Pro",
    osVersion: "10.0 (19045)",
    uac: 4096,
    lastLogon: STALE,
  },
];

function bulkName(i: number): string {
  return `FLEET-${String(i).padStart(4, "0")}`;
}

/** What the enumeration of the fixture must find (the DC included). */
export const EXPECTED = {
  servers: ["DC1", "FS01", "SQL01", "APP01"],
  domainControllers: ["DC1"],
  namedWorkstations: ["WS-RECEP01", "WS-EXAM01", "WS-DR01", "LAPTOP-07", "WS-OLD01", "WS-STALE01"],
  disabled: ["WS-OLD01"],
  stale: ["WS-STALE01"],
  /** Never logged on: no lastLogonTimestamp at all. */
  neverLoggedOn: ["LAPTOP-07"],
  total: 1 + 9 + BULK_WORKSTATIONS,
  bulkName,
};

function computerLdif(c: FixtureComputer): string {
  const lines = [
    `dn: CN=${c.cn},${c.container},${BASE_DN}`,
    "objectClass: computer",
    `cn: ${c.cn}`,
    `sAMAccountName: ${c.cn}$`,
    `userAccountControl: ${c.uac}`,
    `dNSHostName: ${c.cn.toLowerCase()}.${DOMAIN}`,
    `operatingSystem: ${c.os}`,
    `operatingSystemVersion: ${c.osVersion}`,
  ];
  const lastLogon = c.lastLogon ?? (c.cn === "LAPTOP-07" ? undefined : RECENT);
  if (lastLogon) lines.push(`lastLogonTimestamp: ${lastLogon}`);
  return `${lines.join("\n")}\n`;
}

function bulkComputer(i: number): FixtureComputer {
  const win11 = i % 3 !== 0;
  return {
    cn: bulkName(i),
    container: "OU=Fleet",
    os: win11 ? "Windows 11 Pro" : "Windows 10 Pro",
    osVersion: win11 ? "10.0 (22631)" : "10.0 (19045)",
    uac: 4096,
  };
}

/** LDIF files (name → text), about 300 records each: offline ldbadd is fastest in chunks of a few hundred. */
export function fixtureLdifs(): Record<string, string> {
  const ous = OUS.map((ou) => {
    const name = ou.split(",")[0]?.slice(3) ?? ou;
    return `dn: ${ou},${BASE_DN}\nobjectClass: organizationalUnit\nou: ${name}\n`;
  });
  const files: Record<string, string> = {
    "00-named.ldif": [...ous, ...NAMED.map(computerLdif)].join("\n"),
  };
  const perFile = 300;
  for (let start = 1; start <= BULK_WORKSTATIONS; start += perFile) {
    const chunk: string[] = [];
    for (let i = start; i < start + perFile && i <= BULK_WORKSTATIONS; i++) chunk.push(computerLdif(bulkComputer(i)));
    files[`${String(start).padStart(4, "0")}-fleet.ldif`] = chunk.join("\n");
  }
  return files;
}

/**
 * DNS A records added to the DC's zone: fs01 on the DC's own address (a test listens on its WinRM port there),
 * app01 on an address where nothing listens; sql01 has no record at all.
 */
export function fixtureDnsRecords(dcIp: string): string {
  return `fs01 ${dcIp}\napp01 127.0.0.254\n`;
}
