/**
 * WinRM reachability of servers: a TCP connect to 5985 (HTTP) or 5986 (HTTPS), short timeout, bounded
 * concurrency, within the enumeration's deadline. Host names are resolved with the directory's DNS; a name that
 * does not resolve is unreachable. Hosts not probed before the deadline are left out of the answer.
 */

import type { DirectoryDns } from "../net/directory-dns";
import { mapBounded } from "../net/map-bounded";
import { probeTcp } from "../net/probe-tcp";

export interface WinrmProbeOptions {
  dns: DirectoryDns;
  ports?: number[];
  timeoutMs?: number;
  concurrency?: number;
  /** Epoch ms after which no new probe starts. */
  deadline?: number;
}

export async function probeWinrm(hosts: readonly string[], opts: WinrmProbeOptions): Promise<Map<string, boolean>> {
  const ports = opts.ports ?? [5985, 5986];
  const timeoutMs = opts.timeoutMs ?? 1500;
  const reachable = new Map<string, boolean>();
  await mapBounded(hosts, opts.concurrency ?? 16, async (host) => {
    if (opts.deadline !== undefined && Date.now() + timeoutMs > opts.deadline) return;
    let address: string;
    try {
      address = await opts.dns.resolveHost(host);
    } catch {
      reachable.set(host, false);
      return;
    }
    const open = await Promise.all(ports.map((port) => probeTcp(address, port, timeoutMs)));
    reachable.set(host, open.some(Boolean));
  });
  return reachable;
}
