/**
 * One AD computer object as the enumeration reports it (the shape of enumeration-results' computers, plus
 * `stale`), and its class: domain controller, server or workstation.
 */
import { filetimeToDate } from "../ldap/filetime";

/** userAccountControl flags (MS-ADTS 2.2.16). */
export const UAC_ACCOUNTDISABLE = 0x2;
export const UAC_SERVER_TRUST_ACCOUNT = 0x2000;
/** primaryGroupID of Domain Controllers and of Read-only Domain Controllers. */
const DC_PRIMARY_GROUPS = new Set([516, 521]);

export const STALE_AFTER_DAYS = 60;

export interface EnumeratedComputer {
  /** dNSHostName, else name. */
  hostname: string;
  name: string;
  os: string | null;
  os_version: string | null;
  distinguished_name: string;
  enabled: boolean;
  /** lastLogonTimestamp as ISO 8601; null when the computer never logged on. */
  last_logon: string | null;
  is_domain_controller: boolean;
  /** No logon for more than 60 days (a computer that never logged on is not stale: it may be new). */
  stale: boolean;
  winrm_reachable?: boolean;
}

export type ComputerKind = "server" | "workstation";

/** An LDAP entry as ldapts returns it: a requested but missing attribute is []. */
export type LdapEntry = Record<string, string | string[] | Buffer | Buffer[]>;

export function attributeValue(entry: LdapEntry, name: string): string | undefined {
  const raw = entry[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined) return undefined;
  const value = Buffer.isBuffer(first) ? first.toString("utf8") : first;
  return value === "" ? undefined : value;
}

function intValue(entry: LdapEntry, name: string): number {
  const n = Number(attributeValue(entry, name));
  return Number.isFinite(n) ? n : 0;
}

/** The RDN value of a DN ("CN=FS01,OU=Servers,..." → "FS01"). */
function rdnValue(dn: string): string {
  return /^[^=]+=((?:\\.|[^,])*)/.exec(dn)?.[1]?.replace(/\\(.)/g, "$1") ?? dn;
}

export function classifyComputer(
  entry: LdapEntry,
  now: Date,
  staleAfterDays = STALE_AFTER_DAYS,
): { kind: ComputerKind; computer: EnumeratedComputer } {
  const dn = attributeValue(entry, "distinguishedName") ?? attributeValue(entry, "dn") ?? "";
  const name = attributeValue(entry, "name") ?? rdnValue(dn);
  const uac = intValue(entry, "userAccountControl");
  const os = attributeValue(entry, "operatingSystem") ?? null;
  const lastLogon = filetimeToDate(attributeValue(entry, "lastLogonTimestamp"));
  const isDc = (uac & UAC_SERVER_TRUST_ACCOUNT) !== 0 || DC_PRIMARY_GROUPS.has(intValue(entry, "primaryGroupID"));
  const computer: EnumeratedComputer = {
    hostname: attributeValue(entry, "dNSHostName") ?? name,
    name,
    os,
    os_version: attributeValue(entry, "operatingSystemVersion") ?? null,
    distinguished_name: dn,
    enabled: (uac & UAC_ACCOUNTDISABLE) === 0,
    last_logon: lastLogon?.toISOString() ?? null,
    is_domain_controller: isDc,
    stale: lastLogon !== null && now.getTime() - lastLogon.getTime() > staleAfterDays * 86_400_000,
  };
  const kind: ComputerKind = isDc || (os !== null && /server/i.test(os)) ? "server" : "workstation";
  return { kind, computer };
}
