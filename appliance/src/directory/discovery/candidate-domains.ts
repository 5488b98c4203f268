/**
 * Candidate AD domain names, in the order to try them: resolv.conf's `domain` and `search`, the host's FQDN
 * suffix, then DHCP lease domains. Lower-cased, without a trailing dot, de-duplicated; names that cannot be an AD
 * domain (one label, reverse zones, "localdomain") are dropped.
 */
import type { LeaseFormat } from "./dhcp-leases";
import { parseLease } from "./dhcp-leases";
import { parseResolvConf } from "./resolv-conf";

export interface DiscoverySources {
  resolvConf?: string;
  /** The host's name, as os.hostname() or /etc/hostname give it. */
  hostnames?: string[];
  leases?: { format: LeaseFormat; text: string }[];
}

const NOT_A_DOMAIN = /(^|\.)(localdomain|localhost|in-addr\.arpa|ip6\.arpa)$/;

export function normalizeDomain(name: string): string | null {
  const d = name.trim().toLowerCase().replace(/\.$/, "");
  if (!/^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)+$/.test(d)) return null;
  return NOT_A_DOMAIN.test(d) ? null : d;
}

/** The domain part of a fully qualified host name ("appliance.clinic.local" → "clinic.local"). */
export function fqdnDomain(hostname: string): string | null {
  const dot = hostname.indexOf(".");
  return dot > 0 ? normalizeDomain(hostname.slice(dot + 1)) : null;
}

export function candidateDomains(sources: DiscoverySources): string[] {
  const raw: string[] = [];
  if (sources.resolvConf !== undefined) {
    const conf = parseResolvConf(sources.resolvConf);
    if (conf.domain) raw.push(conf.domain);
    raw.push(...conf.search);
  }
  for (const host of sources.hostnames ?? []) raw.push(fqdnDomain(host) ?? "");
  for (const lease of sources.leases ?? []) raw.push(...parseLease(lease.format, lease.text));
  const out: string[] = [];
  for (const name of raw) {
    const d = normalizeDomain(name);
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}
