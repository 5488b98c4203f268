/**
 * The site's domain controllers with their certificates, for the partner (the fingerprint beside the domain
 * credential form, the Accept button after a change): every DC the appliances discovered or presented a
 * certificate from, what it presents now, what is trusted, and why no certificate could be read. Scoped by
 * partner; any partner token or session may read it (fingerprints are not secrets).
 */
import type { DcCertificateWire, DomainControllerList, DomainControllerWire } from "@/server/contracts";
import type { Db } from "@/server/db";
import { assertPartnerSite } from "../shared/site-ownership";

type Controller = { hostname?: unknown; certificate_problem?: unknown };

export async function listDomainControllers(db: Db, partnerId: string, siteId: string): Promise<DomainControllerList> {
  await assertPartnerSite(db, partnerId, siteId);
  const [domains, certificates] = await Promise.all([
    db.discoveredDomain.findMany({
      where: { siteId, site: { partnerId } },
      select: { domainName: true, controllers: true },
    }),
    db.domainControllerCertificate.findMany({
      where: { siteId, site: { partnerId } },
      orderBy: [{ lastSeen: "desc" }, { firstSeen: "desc" }],
    }),
  ]);
  const byDc = new Map<string, DomainControllerWire>();
  const entry = (domain: string, hostname: string) => {
    const key = `${domain} ${hostname}`;
    let dc = byDc.get(key);
    if (!dc) {
      dc = { domain, hostname, presented: null, trusted: null, certificate_problem: null };
      byDc.set(key, dc);
    }
    return dc;
  };
  for (const d of domains) {
    for (const c of Array.isArray(d.controllers) ? (d.controllers as Controller[]) : []) {
      if (typeof c.hostname !== "string") continue;
      const dc = entry(d.domainName, c.hostname.toLowerCase());
      if (typeof c.certificate_problem === "string") dc.certificate_problem = c.certificate_problem;
    }
  }
  for (const c of certificates) {
    const dc = entry(c.domain, c.hostname);
    const wire: DcCertificateWire = {
      sha256: c.fingerprint,
      subject: c.subject,
      issuer: c.issuer,
      not_after: c.notAfter?.toISOString() ?? null,
      status: c.status,
      first_seen: c.firstSeen.toISOString(),
      last_seen: c.lastSeen.toISOString(),
      accepted_by: c.acceptedBy,
      accepted_at: c.acceptedAt?.toISOString() ?? null,
    };
    // Rows come newest first: the first one of a DC is what it presents now.
    dc.presented ??= wire;
    if (c.status === "trusted") dc.trusted ??= wire;
  }
  const list = [...byDc.values()].sort((a, b) =>
    a.domain === b.domain ? a.hostname.localeCompare(b.hostname) : a.domain.localeCompare(b.domain),
  );
  return { domain_controllers: list };
}
