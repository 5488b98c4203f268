/**
 * Merges one complete enumeration run into the site's Windows targets and workstations. Runs in the worker,
 * inside the transaction that completes the run's outbox row, so a crash rolls it all back and the job runs
 * again from scratch. Set-based: the run's computers are read once from its JSONB chunks into a temporary table,
 * then a handful of statements (no per-computer round trips) do the rest:
 *
 *  - servers (domain controllers included) become Windows targets with provenance "discovered". The FIRST run
 *    after a domain credential is entered approves its servers (they get the domain credential at once: the
 *    partner has just reviewed them in the flow). A server new in any later run is "awaiting approval" and gets
 *    no credential until a partner admin approves it: any domain user can create computer objects and DNS
 *    records, and a planted "server" must not collect the domain admin's NTLM login. A host that is also a
 *    manual target (a site credential with that host) keeps its manual settings and counts as approved.
 *  - workstations are stored with agent status "pending" (for agent deployment), never as WinRM targets;
 *  - computers a complete (non-partial) run no longer lists get "not seen since", never deleted; one listed
 *    again is seen again;
 *  - rows whose AD data did not change are not written: merging the same results again changes nothing.
 *
 * Then, in the same transaction: the run is marked merged (its chunks dropped), the partner is notified
 * ("Enumeration complete: N servers, M workstations"; "N new servers found in AD" when some await approval),
 * and an outbox row asks the worker to raise trigger_immediate_scan for the site's appliances.
 */
import { performance } from "node:perf_hooks";
import type { Prisma } from "@/server/generated/prisma/client";
import { addOutbox } from "@/server/jobs/outbox/add-outbox";
import { recordAuditEvent } from "../audit/record-audit-event";
import { notifyPartner } from "../notifications/notify-partner";

type Tx = Prisma.TransactionClient;

export type MergeResult =
  | { skipped: string }
  | {
      runId: string;
      servers: number;
      workstations: number;
      newServers: number;
      awaiting: number;
      notSeen: number;
      ms: number;
    };

type RunRow = {
  id: string;
  site_id: string;
  partner_id: string;
  appliance_id: string;
  domain: string;
  status: string;
  partial: boolean;
  enumerated_at: Date;
  received_at: Date;
};

export async function mergeEnumerationRun(tx: Tx, runId: string): Promise<MergeResult> {
  const t0 = performance.now();
  const [run] = await tx.$queryRaw<RunRow[]>`
    SELECT r.id, r.site_id, s.partner_id, r.appliance_id, r.domain, r.status::text AS status, r.partial,
           r.enumerated_at, r.received_at
    FROM enumeration_runs r JOIN sites s ON s.id = r.site_id
    WHERE r.id = ${runId} FOR UPDATE OF r`;
  // Merged already (a duplicate job), or gone with its site: nothing to do.
  if (!run) return { skipped: "missing" };
  if (run.status !== "queued") return { skipped: run.status };
  const site = run.site_id;
  const at = run.enumerated_at;
  // Merges of one site (two appliances, or a credential entered meanwhile) take turns: no deadlock between
  // upserts that touch the same hosts in different orders, and "not seen" is decided against settled rows.
  await tx.$queryRaw`SELECT id FROM sites WHERE id = ${site} FOR UPDATE`;

  // The domain credential this run may use, and whether this is the first run after it was entered.
  const [cred] = await tx.$queryRaw<Array<{ id: string; first_run_id: string | null; created_at: Date }>>`
    SELECT id, first_run_id, created_at FROM site_credentials
    WHERE site_id = ${site} AND credential_type = 'domain_admin' AND host IS NULL AND lower(domain) = ${run.domain}
    ORDER BY created_at DESC LIMIT 1 FOR UPDATE`;
  const first = Boolean(
    cred && (cred.first_run_id === runId || (cred.first_run_id === null && run.received_at >= cred.created_at)),
  );
  if (cred && first && cred.first_run_id === null) {
    await tx.$executeRaw`UPDATE site_credentials SET first_run_id = ${runId} WHERE id = ${cred.id}`;
  }
  const credId = first ? (cred?.id ?? null) : null;

  // The run's computers, once: one row per host name (a host listed twice: the server entry, latest chunk).
  await tx.$executeRawUnsafe(`
    CREATE TEMP TABLE enum_src (
      kind text, hostname text, name text, os text, os_version text, distinguished_name text, enabled boolean,
      last_logon timestamp(3), is_domain_controller boolean, winrm_reachable boolean
    ) ON COMMIT DROP`);
  await tx.$executeRaw`
    INSERT INTO enum_src
    SELECT DISTINCT ON (x.hostname) k.kind, x.hostname, x.name, x.os, x.os_version, x.distinguished_name,
           coalesce(x.enabled, true), x.last_logon, coalesce(x.is_domain_controller, false), x.winrm_reachable
    FROM enumeration_chunks c
    CROSS JOIN LATERAL (VALUES ('server', c.servers), ('workstation', c.workstations)) AS k(kind, list)
    CROSS JOIN LATERAL jsonb_to_recordset(k.list) AS x(hostname text, name text, os text, os_version text,
      distinguished_name text, enabled boolean, last_logon timestamp(3), is_domain_controller boolean,
      winrm_reachable boolean)
    WHERE c.run_id = ${runId}
    ORDER BY x.hostname, k.kind, c.chunk DESC`;
  await tx.$executeRawUnsafe("CREATE UNIQUE INDEX ON enum_src (hostname)");
  await tx.$executeRawUnsafe("ANALYZE enum_src");

  const [servers] = await tx.$queryRaw<Array<{ listed: number; inserted: number; awaiting: number }>>`
    WITH manual AS (
      SELECT DISTINCT lower(host) AS host FROM site_credentials
      WHERE site_id = ${site} AND host IS NOT NULL
    ), up AS (
      INSERT INTO windows_targets AS t (id, site_id, hostname, source, approval, credential_id, name, operating_system,
        os_version, distinguished_name, enabled, is_domain_controller, winrm_reachable, last_logon_at, last_seen_at,
        domain, first_run_id, approved_at, approved_by, created_at, updated_at)
      SELECT gen_random_uuid()::text, ${site}, s.hostname, 'discovered',
             CASE WHEN ${first} OR m.host IS NOT NULL THEN 'approved' ELSE 'awaiting_approval' END::"TargetApproval",
             CASE WHEN m.host IS NULL THEN ${credId}::text END,
             s.name, s.os, s.os_version, s.distinguished_name, s.enabled, s.is_domain_controller, s.winrm_reachable,
             s.last_logon, ${at}, ${run.domain}, ${runId},
             CASE WHEN ${first} OR m.host IS NOT NULL THEN now() END,
             CASE WHEN m.host IS NOT NULL THEN 'manual target' WHEN ${first} THEN 'first enumeration after the domain credential' END,
             now(), now()
      FROM enum_src s LEFT JOIN manual m ON m.host = s.hostname
      WHERE s.kind = 'server'
      ON CONFLICT (site_id, hostname) DO UPDATE SET
        name = excluded.name,
        operating_system = excluded.operating_system,
        os_version = excluded.os_version,
        distinguished_name = excluded.distinguished_name,
        enabled = excluded.enabled,
        is_domain_controller = excluded.is_domain_controller,
        winrm_reachable = excluded.winrm_reachable,
        last_logon_at = excluded.last_logon_at,
        last_seen_at = GREATEST(t.last_seen_at, excluded.last_seen_at),
        domain = excluded.domain,
        missing_since = NULL,
        approval = CASE WHEN excluded.approval = 'approved' THEN 'approved'::"TargetApproval" ELSE t.approval END,
        credential_id = CASE WHEN t.approval = 'approved' OR excluded.approval = 'approved'
                             THEN COALESCE(excluded.credential_id, t.credential_id) ELSE t.credential_id END,
        approved_at = CASE WHEN t.approval = 'approved' THEN t.approved_at ELSE excluded.approved_at END,
        approved_by = CASE WHEN t.approval = 'approved' THEN t.approved_by ELSE excluded.approved_by END,
        updated_at = now()
      WHERE (t.last_seen_at IS NULL OR excluded.last_seen_at >= t.last_seen_at)
        AND ((t.name, t.operating_system, t.os_version, t.distinguished_name, t.enabled, t.is_domain_controller,
              t.winrm_reachable, t.last_logon_at, t.domain, t.last_seen_at)
             IS DISTINCT FROM
             (excluded.name, excluded.operating_system, excluded.os_version, excluded.distinguished_name,
              excluded.enabled, excluded.is_domain_controller, excluded.winrm_reachable, excluded.last_logon_at,
              excluded.domain, excluded.last_seen_at)
          OR t.missing_since IS NOT NULL
          OR (excluded.approval = 'approved' AND t.approval <> 'approved')
          OR (excluded.credential_id IS NOT NULL AND t.credential_id IS DISTINCT FROM excluded.credential_id))
      RETURNING (xmax = 0) AS inserted, approval
    )
    SELECT (SELECT count(*)::int FROM enum_src WHERE kind = 'server') AS listed,
           count(*) FILTER (WHERE inserted)::int AS inserted,
           count(*) FILTER (WHERE inserted AND approval = 'awaiting_approval')::int AS awaiting
    FROM up`;

  const [workstations] = await tx.$queryRaw<Array<{ listed: number }>>`
    WITH up AS (
      INSERT INTO workstations AS w (id, site_id, hostname, name, dns_host_name, operating_system, os_version,
        distinguished_name, enabled, last_logon_at, last_seen_at, domain, agent_status, discovered_at, updated_at)
      SELECT gen_random_uuid()::text, ${site}, s.hostname, s.name,
             CASE WHEN position('.' IN s.hostname) > 0 THEN s.hostname END, s.os, s.os_version,
             s.distinguished_name, s.enabled, s.last_logon, ${at}, ${run.domain}, 'pending', now(), now()
      FROM enum_src s WHERE s.kind = 'workstation'
      ON CONFLICT (site_id, hostname) DO UPDATE SET
        name = excluded.name,
        dns_host_name = excluded.dns_host_name,
        operating_system = excluded.operating_system,
        os_version = excluded.os_version,
        distinguished_name = excluded.distinguished_name,
        enabled = excluded.enabled,
        last_logon_at = excluded.last_logon_at,
        last_seen_at = GREATEST(w.last_seen_at, excluded.last_seen_at),
        domain = excluded.domain,
        missing_since = NULL,
        updated_at = now()
      WHERE (w.last_seen_at IS NULL OR excluded.last_seen_at >= w.last_seen_at)
        AND ((w.name, w.dns_host_name, w.operating_system, w.os_version, w.distinguished_name, w.enabled,
              w.last_logon_at, w.domain, w.last_seen_at)
             IS DISTINCT FROM
             (excluded.name, excluded.dns_host_name, excluded.operating_system, excluded.os_version,
              excluded.distinguished_name, excluded.enabled, excluded.last_logon_at, excluded.domain,
              excluded.last_seen_at)
          OR w.missing_since IS NOT NULL)
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM enum_src WHERE kind = 'workstation') AS listed, (SELECT count(*) FROM up) AS n`;

  // A partial run (time budget ran out) did not necessarily reach the others: it marks nothing "not seen".
  let notSeen = 0;
  if (!run.partial) {
    notSeen += await tx.$executeRaw`
      UPDATE windows_targets t SET missing_since = ${at}, updated_at = now()
      WHERE t.site_id = ${site} AND t.domain = ${run.domain} AND t.missing_since IS NULL AND t.last_seen_at < ${at}
        AND NOT EXISTS (SELECT 1 FROM enum_src s WHERE s.hostname = t.hostname AND s.kind = 'server')`;
    notSeen += await tx.$executeRaw`
      UPDATE workstations w SET missing_since = ${at}, updated_at = now()
      WHERE w.site_id = ${site} AND w.domain = ${run.domain} AND w.missing_since IS NULL AND w.last_seen_at < ${at}
        AND NOT EXISTS (SELECT 1 FROM enum_src s WHERE s.hostname = w.hostname AND s.kind = 'workstation')`;
  }

  const listedServers = servers?.listed ?? 0;
  const listedWorkstations = workstations?.listed ?? 0;
  const awaiting = servers?.awaiting ?? 0;
  const ms = Math.round(performance.now() - t0);
  await tx.$executeRaw`
    UPDATE enumeration_runs SET status = 'merged', merged_at = now(), server_count = ${listedServers},
           workstation_count = ${listedWorkstations}, new_servers = ${servers?.inserted ?? 0}, merge_ms = ${ms}
    WHERE id = ${runId}`;
  await tx.$executeRaw`DELETE FROM enumeration_chunks WHERE run_id = ${runId}`;

  await notifyPartner(tx, run.partner_id, {
    siteId: site,
    applianceId: run.appliance_id,
    kind: "enumeration_complete",
    title: `Enumeration complete: ${plural(listedServers, "server")}, ${plural(listedWorkstations, "workstation")}`,
    body: `${run.domain}${run.partial ? " (partial: the appliance's time budget ran out before it read everything)" : ""}.${
      notSeen ? ` ${plural(notSeen, "computer")} no longer listed in AD.` : ""
    } A scan has been requested.`,
  });
  if (awaiting > 0) {
    const names = await tx.$queryRaw<Array<{ hostname: string }>>`
      SELECT hostname FROM windows_targets
      WHERE site_id = ${site} AND first_run_id = ${runId} AND approval = 'awaiting_approval'
      ORDER BY hostname LIMIT 10`;
    await notifyPartner(tx, run.partner_id, {
      siteId: site,
      applianceId: run.appliance_id,
      kind: "new_servers_found",
      title: `${plural(awaiting, "new server")} found in AD`,
      body: `${names.map((n) => n.hostname).join(", ")}${awaiting > names.length ? ", …" : ""}: awaiting approval. They get the domain credential only once a partner admin approves them.`,
    });
  }
  await recordAuditEvent(tx, {
    action: "enumeration.merged",
    actorType: "system",
    partnerId: run.partner_id,
    siteId: site,
    targetType: "enumeration_run",
    targetId: runId,
    metadata: {
      servers: listedServers,
      workstations: listedWorkstations,
      awaiting,
      not_seen: notSeen,
      first_run: first,
    },
  });
  await addOutbox(tx, "enumeration.merged", { siteId: site, runId });
  return {
    runId,
    servers: listedServers,
    workstations: listedWorkstations,
    newServers: servers?.inserted ?? 0,
    awaiting,
    notSeen,
    ms,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
