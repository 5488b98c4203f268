/**
 * GET /api/partners/me/sites/{site_id}/targets: one page of the site's Windows servers (discovered in AD,
 * entered by hand as a credential with a host, or both) and one of its workstations, searched, filtered and
 * sorted in PostgreSQL (targets-sql.ts), so a 10,000-computer site sends 25 rows, not 10,000. A host that is
 * both shows both provenances and its manual settings. Never a password. Scoped by partner.
 */
import {
  type ServerTargetWire,
  type SiteTargets,
  STALE_AFTER_DAYS,
  TargetsQuery,
  type WorkstationWire,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { assertPartnerSite } from "../shared/site-ownership";
import { countAwaitingApproval, type Filters, queryServers, queryWorkstations } from "./targets-sql";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function isStale(lastLogon: Date | null, now = Date.now()): boolean {
  return lastLogon !== null && now - lastLogon.getTime() > STALE_AFTER_DAYS * 86_400_000;
}

export async function listSiteTargets(
  db: Db,
  partnerId: string,
  siteId: string,
  raw: TargetsQuery = {},
): Promise<SiteTargets> {
  const query = TargetsQuery.parse(raw);
  await assertPartnerSite(db, partnerId, siteId);
  const now = Date.now();
  const filters: Filters = {
    siteId,
    staleBefore: new Date(now - STALE_AFTER_DAYS * 86_400_000),
    q: query.q || null,
    provenance: query.provenance ?? null,
    status: query.status ?? null,
    sort: query.sort,
    order: query.order,
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
  };
  const [servers, workstations, awaiting] = await Promise.all([
    query.kind === "workstation" ? null : queryServers(db, filters),
    query.kind === "server" ? null : queryWorkstations(db, filters),
    countAwaitingApproval(db, siteId),
  ]);
  const page = (total: number) => ({ page: query.page, page_size: query.page_size, total });
  return {
    servers: (servers?.rows ?? []).map(
      (t): ServerTargetWire => ({
        id: t.id,
        hostname: t.hostname,
        provenance: [...(t.manual ? (["manual"] as const) : []), ...(t.discovered ? (["discovered"] as const) : [])],
        approval: t.approval,
        credential_id: t.credential_id,
        use_ssl: t.use_ssl,
        port: t.port,
        os: t.os,
        os_version: t.os_version,
        distinguished_name: t.distinguished_name,
        is_domain_controller: t.is_domain_controller,
        enabled: t.enabled,
        stale: isStale(t.last_logon_at, now),
        winrm_reachable: t.winrm_reachable,
        last_logon: iso(t.last_logon_at),
        last_seen_in_ad: iso(t.last_seen_at),
        not_seen_since: iso(t.missing_since),
        last_scan_at: null,
        status: t.status,
      }),
    ),
    workstations: (workstations?.rows ?? []).map(
      (w): WorkstationWire => ({
        id: w.id,
        hostname: w.hostname,
        name: w.name,
        os: w.os,
        os_version: w.os_version,
        distinguished_name: w.distinguished_name,
        enabled: w.enabled,
        stale: isStale(w.last_logon_at, now),
        last_logon: iso(w.last_logon_at),
        last_seen_in_ad: iso(w.last_seen_at),
        not_seen_since: iso(w.missing_since),
        agent_status: w.agent_status,
        agent_last_seen_at: iso(w.agent_last_seen_at),
        status: w.status,
      }),
    ),
    servers_page: servers ? page(servers.total) : null,
    workstations_page: workstations ? page(workstations.total) : null,
    servers_awaiting_approval: awaiting,
  };
}
