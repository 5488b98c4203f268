/**
 * Domain names a DHCP server handed out, from lease files:
 * - dhclient (ISC; also NetworkManager with dhclient): `option domain-name "clinic.local";` and
 *   `option domain-search "clinic.local", "corp.clinic.local";` inside `lease { }` blocks; the last lease is newest.
 * - systemd-networkd (/run/systemd/netif/leases/*) and NetworkManager's internal client
 *   (/var/lib/NetworkManager/internal-*.lease): KEY=VALUE lines, DOMAINNAME= and DOMAIN_SEARCH_LIST= (space-separated).
 */
function unquoteList(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim().replace(/^"|"$/g, "").trim())
    .flatMap((v) => v.split(/\s+/))
    .filter(Boolean);
}

/** Domains of a dhclient lease file, newest lease first. */
export function parseDhclientLeases(text: string): string[] {
  const leases = text.split(/\blease\s*\{/).slice(1);
  const domains: string[] = [];
  for (const lease of leases.reverse()) {
    for (const m of lease.matchAll(/option\s+(domain-name|domain-search)\s+([^;]+);/g)) {
      domains.push(...unquoteList(m[2] ?? ""));
    }
  }
  return domains;
}

/** Domains of a KEY=VALUE lease file (systemd-networkd, NetworkManager internal). */
export function parseKeyValueLease(text: string): string[] {
  const domains: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(DOMAINNAME|DOMAIN_SEARCH_LIST)\s*=\s*(.*)$/.exec(line);
    if (m?.[2]) domains.push(...m[2].replace(/^"|"$/g, "").split(/\s+/).filter(Boolean));
  }
  return domains;
}

export type LeaseFormat = "dhclient" | "key-value";

export function parseLease(format: LeaseFormat, text: string): string[] {
  return format === "dhclient" ? parseDhclientLeases(text) : parseKeyValueLease(text);
}
