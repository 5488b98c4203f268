/**
 * DNS for the directory code: SRV lookups for discovery and host addresses for LDAP and WinRM, asked of the
 * configured DNS servers (OSIRIS_DNS_SERVERS; tests point it at the test DC's DNS) or, when none is configured,
 * of the system's (resolv.conf for SRV, getaddrinfo with /etc/hosts for addresses).
 */
import { promises as dns, type SrvRecord } from "node:dns";
import { isIP } from "node:net";

export interface DirectoryDns {
  /** The servers asked, for messages ("system" when none is configured). */
  readonly servers: string[];
  resolveSrv(name: string): Promise<SrvRecord[]>;
  /** One address of a host name (an IP literal is returned as it is). */
  resolveHost(name: string): Promise<string>;
}

export interface DirectoryDnsOptions {
  /** "host" or "host:port" entries; empty or absent means the system's resolver. */
  servers?: string[];
  /** Per query. */
  timeoutMs?: number;
}

export function createDirectoryDns(options: DirectoryDnsOptions = {}): DirectoryDns {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2000, tries: 2 });
  const configured = options.servers?.filter((s) => s.trim() !== "") ?? [];
  if (configured.length > 0) resolver.setServers(configured);
  return {
    servers: configured.length > 0 ? configured : ["system"],
    resolveSrv: (name) => resolver.resolveSrv(name),
    async resolveHost(name) {
      if (isIP(name)) return name;
      if (configured.length === 0) return (await dns.lookup(name)).address;
      try {
        const [v4] = await resolver.resolve4(name);
        if (v4) return v4;
      } catch (err) {
        const [v6] = await resolver.resolve6(name).catch(() => [] as string[]);
        if (v6) return v6;
        throw err;
      }
      const [v6] = await resolver.resolve6(name);
      if (v6) return v6;
      throw Object.assign(new Error(`no address for ${name}`), { code: "ENODATA" });
    },
  };
}
