/** What the appliance tells Central Command about itself when it claims a code: MAC address and host name. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";

export const FALLBACK_HOSTNAME = "osiriscare-appliance";

export const DEFAULT_MACHINE_ID_PATHS = ["/etc/machine-id", "/var/lib/dbus/machine-id"] as const;

export type InterfaceSource = () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;

export interface MacAddressOptions {
  /** Where interfaces come from; os.networkInterfaces by default. */
  interfaces?: InterfaceSource;
  /** Files tried in order for the machine id of the fallback address. */
  machineIdPaths?: readonly string[];
  /** Last resort for the fallback address when no machine id file is readable. */
  hostname?: () => string;
}

export interface HostnameOptions {
  hostname?: () => string;
}

/** Names of bridges, tunnels and container links: used only when no other interface has a MAC. */
const VIRTUAL_INTERFACE =
  /^(docker|br-|veth|virbr|vnet|vmnet|vboxnet|tun|tap|wg|zt|tailscale|lxc|lxd|cni|flannel|cali|kube|podman|dummy)/;

const ZERO_MAC = /^(00:){5}00$/;

function normaliseMac(mac: string): string | undefined {
  const upper = mac.trim().toUpperCase();
  return /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/.test(upper) && !ZERO_MAC.test(upper) ? upper : undefined;
}

/**
 * The primary MAC address, upper-case colon form ("84:3A:5B:91:B6:61").
 *
 * Loopback/internal interfaces and all-zero addresses are skipped. Candidates are ordered physical
 * before virtual, then by interface name, so the answer does not depend on enumeration order. With no
 * usable interface, a locally administered address "02:XX:XX:XX:XX:XX" is derived from the machine id,
 * which keeps it stable across reboots.
 */
export function getMacAddress(opts: MacAddressOptions = {}): string {
  const source = opts.interfaces ?? os.networkInterfaces;
  let interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {};
  try {
    interfaces = source();
  } catch {
    // fall through to the derived address
  }

  const candidates: { name: string; mac: string; virtual: boolean }[] = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.internal) continue;
      const mac = normaliseMac(address.mac);
      if (mac === undefined) continue;
      candidates.push({ name, mac, virtual: VIRTUAL_INTERFACE.test(name) });
      break;
    }
  }
  candidates.sort((a, b) => Number(a.virtual) - Number(b.virtual) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const primary = candidates[0];
  if (primary) return primary.mac;

  return fallbackMacAddress(opts);
}

/** "02:" (locally administered, unicast) followed by five bytes of SHA-256 of the machine id. */
export function fallbackMacAddress(opts: Pick<MacAddressOptions, "machineIdPaths" | "hostname"> = {}): string {
  const seed = readMachineId(opts.machineIdPaths ?? DEFAULT_MACHINE_ID_PATHS) ?? `hostname:${getHostname(opts)}`;
  const digest = createHash("sha256").update(`osiriscare-mac:${seed}`).digest();
  const bytes = [0x02, ...digest.subarray(0, 5)];
  return bytes.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

function readMachineId(paths: readonly string[]): string | undefined {
  for (const file of paths) {
    try {
      const id = readFileSync(file, "utf8").trim();
      if (id.length > 0) return id;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** The host name, or "osiriscare-appliance" when it is empty or cannot be read. */
export function getHostname(opts: HostnameOptions = {}): string {
  try {
    const name = (opts.hostname ?? os.hostname)().trim();
    return name.length > 0 ? name : FALLBACK_HOSTNAME;
  } catch {
    return FALLBACK_HOSTNAME;
  }
}
