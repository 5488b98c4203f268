/**
 * Reads what candidateDomains() parses from the machine: /etc/resolv.conf, the host name (os.hostname() and
 * /etc/hostname) and the DHCP lease files of dhclient, NetworkManager and systemd-networkd. A missing or
 * unreadable file is simply absent. `root` lets tests point it at a directory of fixture files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import type { DiscoverySources } from "./candidate-domains";
import type { LeaseFormat } from "./dhcp-leases";

const LEASE_DIRS: { dir: string; match: RegExp; format: LeaseFormat }[] = [
  { dir: "var/lib/dhcp", match: /\.leases?$/, format: "dhclient" },
  { dir: "var/lib/dhclient", match: /\.leases?$/, format: "dhclient" },
  { dir: "var/lib/NetworkManager", match: /^dhclient.*\.lease$/, format: "dhclient" },
  { dir: "var/lib/NetworkManager", match: /^internal-.*\.lease$/, format: "key-value" },
  { dir: "run/systemd/netif/leases", match: /^\d+$/, format: "key-value" },
];

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function readDiscoverySources(root = "/", hostName: string = hostname()): DiscoverySources {
  const leases: NonNullable<DiscoverySources["leases"]> = [];
  for (const { dir, match, format } of LEASE_DIRS) {
    for (const name of listDir(path.join(root, dir)).filter((n) => match.test(n))) {
      const text = readText(path.join(root, dir, name));
      if (text !== undefined) leases.push({ format, text });
    }
  }
  const etcHostname = readText(path.join(root, "etc/hostname"))?.trim();
  const resolvConf = readText(path.join(root, "etc/resolv.conf"));
  return {
    ...(resolvConf !== undefined ? { resolvConf } : {}),
    hostnames: [hostName, ...(etcHostname ? [etcHostname] : [])],
    leases,
  };
}
