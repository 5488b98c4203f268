/**
 * WinRM reachability of servers: a TCP connect to 5985 (HTTP) or 5986 (HTTPS), short timeout, bounded
 * concurrency, within the enumeration's deadline. Host names are resolved with the directory's DNS; a name that
 * does not resolve is unreachable. Hosts not probed before the deadline are left out of the answer.
 *
 * Concurrency is what bounds the probe's time when servers drop WinRM silently (a firewall without RST: each
 * probe waits its full timeout): hosts / concurrency × timeout. At 16, 300 such servers took 28.6 s
 * (bench/enumeration, BENCH_WINRM=drop), three times the 10 s goal for a whole 10,000-computer enumeration; at
 * 128 (256 sockets, both ports at once) they take three waves, about 4.5 s, and the 2,500 servers of a
 * 50,000-computer domain about 30 s, inside the enumeration's 60 s budget. A TCP connect is cheap for the appliance
 * and for the network. The enumeration also probes each page's servers while it reads the next pages, so the probe
 * overlaps the LDAP search instead of following it.
 */

import type { DirectoryDns } from "../net/directory-dns";
import { createLimiter } from "../net/limiter";
import { probeTcp } from "../net/probe-tcp";

export const WINRM_PROBE_CONCURRENCY = 128;

export interface WinrmProbeOptions {
  dns: DirectoryDns;
  ports?: number[];
  timeoutMs?: number;
  concurrency?: number;
  /** Epoch ms after which no new probe starts. */
  deadline?: number;
}

/**
 * A prober for hosts that arrive over time (the enumeration probes each page's servers while the next pages are
 * read): `probe(host)` resolves to whether WinRM answered, or undefined when the deadline left no time to probe.
 * Never rejects.
 */
export function createWinrmProber(opts: WinrmProbeOptions): (host: string) => Promise<boolean | undefined> {
  const ports = opts.ports ?? [5985, 5986];
  const timeoutMs = opts.timeoutMs ?? 1500;
  const limit = createLimiter(opts.concurrency ?? WINRM_PROBE_CONCURRENCY);
  const probe = async (host: string): Promise<boolean> => {
    let address: string;
    try {
      address = await opts.dns.resolveHost(host);
    } catch {
      return false;
    }
    const open = await Promise.all(ports.map((port) => probeTcp(address, port, timeoutMs)));
    return open.some(Boolean);
  };
  return (host) =>
    limit(async () => {
      const { deadline } = opts;
      if (deadline === undefined) return probe(host);
      if (Date.now() + timeoutMs > deadline) return undefined;
      // A slow DNS answer must not carry the probe past the deadline: then the host counts as not probed.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
      });
      try {
        return await Promise.race([probe(host), late]);
      } finally {
        clearTimeout(timer);
      }
    });
}

export async function probeWinrm(hosts: readonly string[], opts: WinrmProbeOptions): Promise<Map<string, boolean>> {
  const probe = createWinrmProber(opts);
  const reachable = new Map<string, boolean>();
  await Promise.all(
    hosts.map(async (host) => {
      const open = await probe(host);
      if (open !== undefined) reachable.set(host, open);
    }),
  );
  return reachable;
}
