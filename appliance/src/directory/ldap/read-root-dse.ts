/**
 * The rootDSE of an LDAP server, read anonymously on port 389: the proof that a host answers as a domain
 * controller, before any credential exists. Only public attributes are read and nothing secret is sent.
 */
import { Client } from "ldapts";
import type { DirectoryDns } from "../net/directory-dns";

export interface RootDse {
  defaultNamingContext: string;
  dnsHostName?: string;
  ldapServiceName?: string;
}

/** "DC=clinic,DC=local" → "clinic.local". */
export function namingContextDomain(dn: string): string {
  return dn
    .split(",")
    .map((part) => /^\s*dc=(.*)$/i.exec(part)?.[1]?.trim())
    .filter((label): label is string => Boolean(label))
    .join(".")
    .toLowerCase();
}

export async function readRootDse(
  hostname: string,
  port: number,
  dns: DirectoryDns,
  timeoutMs = 5000,
): Promise<RootDse> {
  const address = await dns.resolveHost(hostname);
  const client = new Client({
    url: `ldap://${address.includes(":") ? `[${address}]` : address}:${port}`,
    connectTimeout: timeoutMs,
    timeout: timeoutMs,
  });
  try {
    const { searchEntries } = await client.search("", {
      scope: "base",
      attributes: ["defaultNamingContext", "dnsHostName", "ldapServiceName"],
    });
    const entry: Record<string, unknown> = searchEntries[0] ?? {};
    const text = (name: string) => {
      const v = entry[name];
      const first = Array.isArray(v) ? v[0] : v;
      return typeof first === "string" && first !== "" ? first : undefined;
    };
    const defaultNamingContext = text("defaultNamingContext");
    if (!defaultNamingContext) throw new Error("the rootDSE has no defaultNamingContext: not a domain controller");
    const dnsHostName = text("dnsHostName");
    const ldapServiceName = text("ldapServiceName");
    return {
      defaultNamingContext,
      ...(dnsHostName ? { dnsHostName } : {}),
      ...(ldapServiceName ? { ldapServiceName } : {}),
    };
  } finally {
    void client.unbind().catch(() => {});
  }
}
