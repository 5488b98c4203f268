/**
 * A 10,000-computer directory for bench/enumeration: the DC from provisioning (DC1) plus 9,999 computers in
 * nested OUs, 300 servers in all (two domain controllers) and 9,700 workstations, some disabled, some stale, some
 * never logged on. Built offline with ldbadd into the provisioned sam.ldb (500 records per file: ldbadd slows down
 * with the size of one transaction) and kept as a snapshot by samba-dc.ts (keyed by this text), so only the first
 * run pays the build (a few minutes on a busy 2-core machine); later ones restore it in seconds.
 *   const dc = await ensureTestDc({ ip: "127.0.0.45", fixture: LARGE_DIRECTORY });
 * Deterministic; staleness is judged against FIXTURE_NOW (fixtures.ts), like the shared fixture.
 */
import { dateToFiletime } from "@/appliance/src/directory/ldap/filetime";
import { BASE_DN, DOMAIN, FIXTURE_NOW } from "./fixtures";
import type { DcFixture } from "./samba-dc";

const SITES = 10;
/** Member servers (DC2 and the provisioned DC1 come on top). */
const MEMBER_SERVERS = 298;
const WORKSTATIONS = 9_700;
const PER_FILE = 500;

/** What the enumeration of the large directory must find (DC1 from provisioning included). */
export const LARGE_EXPECTED = {
  total: 10_000,
  servers: MEMBER_SERVERS + 2,
  workstations: WORKSTATIONS,
  domainControllers: ["DC1", "DC2"],
};

const RECENT = dateToFiletime(new Date(FIXTURE_NOW.getTime() - 3 * 86_400_000));
const STALE = dateToFiletime(new Date(FIXTURE_NOW.getTime() - 200 * 86_400_000));

const SERVER_OS: Array<[string, string]> = [
  ["Windows Server 2022 Standard", "10.0 (20348)"],
  ["Windows Server 2019 Datacenter", "10.0 (17763)"],
  ["Windows Server 2016 Standard", "10.0 (14393)"],
  ["Windows Server 2012 R2 Standard", "6.3 (9600)"],
];
const WORKSTATION_OS: Array<[string, string]> = [
  ["Windows 11 Pro", "10.0 (22631)"],
  ["Windows 11 Enterprise", "10.0 (22631)"],
  ["Windows 10 Pro", "10.0 (19045)"],
  ["Windows 10 Enterprise", "10.0 (19045)"],
];

const site = (s: number) => `OU=Site${String(s).padStart(2, "0")},OU=Clinics`;

function ous(): string[] {
  const list = ["OU=Clinics"];
  for (let s = 0; s < SITES; s++) {
    list.push(
      site(s),
      `OU=Servers,${site(s)}`,
      `OU=Workstations,${site(s)}`,
      `OU=Exam Rooms,OU=Workstations,${site(s)}`,
      `OU=Reception,OU=Workstations,${site(s)}`,
    );
  }
  return list.map((ou) => `dn: ${ou},${BASE_DN}\nobjectClass: organizationalUnit\nou: ${ou.split(",")[0]?.slice(3)}\n`);
}

interface Computer {
  cn: string;
  container: string;
  os: [string, string];
  uac: number;
  lastLogon?: string;
}

function ldif(c: Computer): string {
  const lines = [
    `dn: CN=${c.cn},${c.container},${BASE_DN}`,
    "objectClass: computer",
    `cn: ${c.cn}`,
    `sAMAccountName: ${c.cn}$`,
    `userAccountControl: ${c.uac}`,
    `dNSHostName: ${c.cn.toLowerCase()}.${DOMAIN}`,
    `operatingSystem: ${c.os[0]}`,
    `operatingSystemVersion: ${c.os[1]}`,
  ];
  if (c.lastLogon) lines.push(`lastLogonTimestamp: ${c.lastLogon}`);
  return `${lines.join("\n")}\n`;
}

/** Every 40th disabled (ACCOUNTDISABLE), every 25th stale, every 60th never logged on. */
function state(i: number): Pick<Computer, "uac" | "lastLogon"> {
  const uac = i % 40 === 7 ? 4098 : 4096;
  if (i % 60 === 11) return { uac };
  return { uac, lastLogon: i % 25 === 3 ? STALE : RECENT };
}

function computers(): Computer[] {
  // A second domain controller: SERVER_TRUST_ACCOUNT (8192) + TRUSTED_FOR_DELEGATION (524288).
  const list: Computer[] = [
    {
      cn: "DC2",
      container: "OU=Domain Controllers",
      os: ["Windows Server 2022 Datacenter", "10.0 (20348)"],
      uac: 532480,
      lastLogon: RECENT,
    },
  ];
  for (let i = 1; i <= MEMBER_SERVERS; i++) {
    const name = `SRV${String(i).padStart(4, "0")}`;
    list.push({
      cn: name,
      container: `OU=Servers,${site(i % SITES)}`,
      os: SERVER_OS[i % SERVER_OS.length] as [string, string],
      ...state(i),
    });
  }
  for (let i = 1; i <= WORKSTATIONS; i++) {
    const s = site(i % SITES);
    const container =
      i % 3 === 0
        ? `OU=Exam Rooms,OU=Workstations,${s}`
        : i % 3 === 1
          ? `OU=Reception,OU=Workstations,${s}`
          : `OU=Workstations,${s}`;
    const name = `WS${String(i).padStart(5, "0")}`;
    list.push({ cn: name, container, os: WORKSTATION_OS[i % WORKSTATION_OS.length] as [string, string], ...state(i) });
  }
  return list;
}

function largeLdifs(): Record<string, string> {
  const files: Record<string, string> = { "0000-ous.ldif": ous().join("\n") };
  const all = computers();
  for (let start = 0; start < all.length; start += PER_FILE) {
    files[`${String(start + 1).padStart(5, "0")}-computers.ldif`] = all
      .slice(start, start + PER_FILE)
      .map(ldif)
      .join("\n");
  }
  return files;
}

/**
 * A few servers have A records, on addresses where nothing listens on the WinRM ports (DC2 and the first ten
 * member servers): their probe is a refused TCP connect. The others have no record: their probe ends at DNS.
 */
function largeDnsRecords(): string {
  const names = ["dc2", ...Array.from({ length: 10 }, (_, i) => `srv${String(i + 1).padStart(4, "0")}`)];
  return names.map((n) => `${n} 127.0.0.254\n`).join("");
}

export const LARGE_DIRECTORY: DcFixture = { name: "large-10k", ldifs: largeLdifs, dnsRecords: largeDnsRecords };
