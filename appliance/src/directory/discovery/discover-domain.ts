/**
 * Domain discovery: for each candidate domain, the SRV records `_ldap._tcp.dc._msdcs.<domain>` (domain
 * controllers), else `_ldap._tcp.<domain>`, in RFC 2782 order; the domain is found when one of its DCs answers
 * LDAP with a rootDSE whose defaultNamingContext is that domain. Its NetBIOS name comes from a CLDAP netlogon ping
 * of that DC (absent when the ping gets no answer). A failure says what was searched and why each
 * candidate failed ("no domain found: searched clinic.local (no SRV records), lab.example (...)").
 */
import type { DirectoryError } from "../directory-error";
import { describeNetworkError } from "../ldap/describe-network-error";
import { type DcCertificateReport, readDcCertificate } from "../ldap/read-dc-certificate";
import { namingContextDomain, type RootDse, readRootDse } from "../ldap/read-root-dse";
import type { DirectoryDns } from "../net/directory-dns";
import { createLimiter } from "../net/limiter";
import { cldapNetlogon } from "./cldap-netlogon";
import { orderSrvRecords } from "./srv-order";

export interface DomainController {
  hostname: string;
  port: number;
  priority: number;
  weight: number;
}

export type DiscoveryResult =
  | {
      ok: true;
      domain: string;
      netbiosName?: string;
      /** RFC 2782 order. */
      domainControllers: DomainController[];
      /** The DC whose rootDSE confirmed the domain. */
      confirmedBy: string;
      rootDse: RootDse;
      /** With `readCertificate`: the confirming DC's certificate (to show beside the credential form), or why none. */
      certificate?: DcCertificateReport | DirectoryError;
      /** With `readCertificate`: every DC's certificate or why none, by host name (the first MAX_CERTIFICATE_READS DCs). */
      certificates?: Map<string, DcCertificateReport | DirectoryError>;
      searched: string[];
    }
  | { ok: false; message: string; searched: string[]; reasons: { domain: string; reason: string }[] };

export interface DiscoverDomainOptions {
  candidates: string[];
  dns: DirectoryDns;
  random?: () => number;
  ldapTimeoutMs?: number;
  /** Also read the DCs' TLS certificates (no credential is involved). */
  readCertificate?: boolean;
}

/** DCs whose certificates discovery reads, at most (4 at a time, each bounded by its own timeouts). */
export const MAX_CERTIFICATE_READS = 10;

async function readCertificates(
  dcs: DomainController[],
  dns: DirectoryDns,
): Promise<Map<string, DcCertificateReport | DirectoryError>> {
  const slice = dcs.slice(0, MAX_CERTIFICATE_READS);
  const limit = createLimiter(4);
  const read = await Promise.all(slice.map((dc) => limit(() => readDcCertificate(dc.hostname, dns))));
  return new Map(slice.map((dc, i) => [dc.hostname, read[i] as DcCertificateReport | DirectoryError]));
}

async function lookupDomainControllers(domain: string, dns: DirectoryDns): Promise<DomainController[]> {
  let lastError: unknown;
  for (const name of [`_ldap._tcp.dc._msdcs.${domain}`, `_ldap._tcp.${domain}`]) {
    try {
      const records = await dns.resolveSrv(name);
      if (records.length > 0) {
        return records.map((r) => ({ hostname: r.name, port: r.port, priority: r.priority, weight: r.weight }));
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== "ENOTFOUND" && code !== "ENODATA") lastError = err;
    }
  }
  if (lastError) throw lastError;
  return [];
}

/** The domain's NetBIOS name from a CLDAP netlogon ping of the confirmed DC, when it answers. */
async function netbiosNameOf(dc: DomainController, domain: string, dns: DirectoryDns): Promise<string | undefined> {
  const address = await dns.resolveHost(dc.hostname).catch(() => null);
  if (!address) return undefined;
  const info = await cldapNetlogon(address, domain, 1500, dc.port);
  return info?.netbiosDomain || undefined;
}

export async function discoverDomain(opts: DiscoverDomainOptions): Promise<DiscoveryResult> {
  const searched: string[] = [];
  const reasons: { domain: string; reason: string }[] = [];
  for (const domain of opts.candidates) {
    searched.push(domain);
    let found: DomainController[];
    try {
      found = await lookupDomainControllers(domain, opts.dns);
    } catch (err) {
      reasons.push({ domain, reason: `DNS (${opts.dns.servers.join(", ")}): ${describeNetworkError(err)}` });
      continue;
    }
    if (found.length === 0) {
      reasons.push({ domain, reason: "no _ldap SRV records" });
      continue;
    }
    const ordered = orderSrvRecords(
      found.map((dc) => ({ name: dc.hostname, port: dc.port, priority: dc.priority, weight: dc.weight })),
      opts.random,
    ).map((r) => ({ hostname: r.name, port: r.port, priority: r.priority, weight: r.weight }));
    const failures: string[] = [];
    for (const dc of ordered) {
      try {
        const rootDse = await readRootDse(dc.hostname, dc.port, opts.dns, opts.ldapTimeoutMs);
        const served = namingContextDomain(rootDse.defaultNamingContext);
        if (served !== domain) {
          failures.push(`${dc.hostname} serves ${served}, not ${domain}`);
          continue;
        }
        const netbiosName = await netbiosNameOf(dc, domain, opts.dns);
        const certificates = opts.readCertificate ? await readCertificates(ordered, opts.dns) : undefined;
        const certificate = certificates
          ? (certificates.get(dc.hostname) ?? (await readDcCertificate(dc.hostname, opts.dns)))
          : undefined;
        return {
          ok: true,
          domain,
          ...(netbiosName ? { netbiosName } : {}),
          domainControllers: ordered,
          confirmedBy: dc.hostname,
          rootDse,
          ...(certificate ? { certificate } : {}),
          ...(certificates ? { certificates } : {}),
          searched,
        };
      } catch (err) {
        failures.push(`${dc.hostname}:${dc.port} ${describeNetworkError(err)}`);
      }
    }
    reasons.push({ domain, reason: `no domain controller answered LDAP (${failures.join("; ")})` });
  }
  const detail = reasons.map((r) => `${r.domain} (${r.reason})`).join(", ");
  return {
    ok: false,
    message:
      searched.length === 0
        ? "no domain found: no candidate domain names (resolv.conf, host name, DHCP leases)"
        : `no domain found: searched ${detail}`,
    searched,
    reasons,
  };
}
