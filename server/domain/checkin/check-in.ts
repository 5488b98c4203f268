/**
 * POST /api/appliances/checkin. Designed so a check-in that changes nothing makes no database commit:
 *  - one read-only query (load-checkin-context.ts) authenticates the key and brings the flag state and
 *    the site's encrypted credentials; flags are only touched (atomically) when some are pending;
 *  - last-seen, version and uptime are buffered and written in batches (every 2 s);
 *  - the release of secrets is committed to the credential access log BEFORE the response is sent (shared
 *    with the check-ins of the same event-loop turn; see record-credential-releases.ts), so a process killed
 *    at any moment has an audit row for every password that reached a client.
 */
import type { CheckinRequest, CheckinResponse } from "@/server/contracts";
import type { Db } from "@/server/db";
import { pgPool } from "@/server/db-pg";
import { getEnv } from "@/server/env";
import { forbidden } from "@/server/errors";
import { logger } from "@/server/logger";
import { recordCredentialReleases } from "../credential-access/record-credential-releases";
import { Batcher } from "./batcher";
import type { CheckinContext } from "./load-checkin-context";
import { acknowledgeScan, deliverTriggers } from "./triggers";
import { recordUnusableTargets, unusableTargetsKey } from "./unusable-targets";
import { buildWindowsTargets } from "./windows-targets";

type Seen = { at: Date; hostname?: string; agentVersion?: string; uptimeS?: number };

type Buffers = { lastSeen: Batcher<string, Seen> };
type BackOnlineHook = (rows: BackOnline[]) => Promise<void>;
const g = globalThis as unknown as { __osirisCheckinBuffers?: Buffers; __osirisBackOnline?: BackOnlineHook };

/** Appliances that were offline and are back; set by the last-seen flush for the notifier. */
export type BackOnline = { applianceId: string; siteId: string };

/**
 * Who hears that appliances are back online (the check-in route registers the partner notifier). One
 * process-wide hook, read at each flush, because a flush carries the check-ins of many requests.
 */
export function onAppliancesBackOnline(hook: BackOnlineHook): void {
  g.__osirisBackOnline = hook;
}

const LAST_SEEN_SQL = `
  WITH v AS (
    SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[]) AS v(id, at, host, ver, up)
  ), prev AS (
    SELECT a.id, a.status::text AS status FROM appliances a JOIN v ON v.id = a.id FOR UPDATE OF a
  )
  UPDATE appliances a SET
    last_checkin_at = GREATEST(a.last_checkin_at, v.at),
    hostname = COALESCE(v.host, a.hostname),
    agent_version = COALESCE(v.ver, a.agent_version),
    uptime_s = COALESCE(v.up, a.uptime_s),
    status = 'online',
    updated_at = now()
  FROM v, prev WHERE a.id = v.id AND prev.id = a.id
  RETURNING a.id, a.site_id, prev.status AS previous`;

function buffers(): Buffers {
  g.__osirisCheckinBuffers ??= {
    lastSeen: new Batcher<string, Seen>(
      "last-seen",
      async (items) => {
        // Plain pg, like the check-in's lookup: the hot path's writes skip the ORM's per-query compilation.
        const { rows } = await pgPool().query<{ id: string; site_id: string; previous: string }>(LAST_SEEN_SQL, [
          items.map(([id]) => id),
          items.map(([, s]) => s.at.toISOString()),
          items.map(([, s]) => s.hostname ?? null),
          items.map(([, s]) => s.agentVersion ?? null),
          items.map(([, s]) => s.uptimeS ?? null),
        ]);
        const back = rows
          .filter((r) => r.previous === "offline")
          .map((r) => ({ applianceId: r.id, siteId: r.site_id }));
        if (back.length) await g.__osirisBackOnline?.(back);
      },
      {
        intervalMs: 2_000,
        maxBatch: 5_000,
        merge: (old, next) => ({
          at: next.at,
          hostname: next.hostname ?? old.hostname,
          agentVersion: next.agentVersion ?? old.agentVersion,
          uptimeS: next.uptimeS ?? old.uptimeS,
        }),
      },
    ),
  };
  return g.__osirisCheckinBuffers;
}

/** Flushes buffered writes now (tests; shutdown runs this through the process hooks). */
export async function flushCheckinBuffers(): Promise<void> {
  await g.__osirisCheckinBuffers?.lastSeen.flush();
}

export async function checkIn(db: Db, principal: CheckinContext, input: CheckinRequest): Promise<CheckinResponse> {
  if (input.appliance_id !== principal.applianceId) {
    throw forbidden("This key belongs to a different appliance than the appliance_id given.");
  }
  const now = new Date();
  const buf = buffers();
  buf.lastSeen.add(principal.applianceId, {
    at: now,
    hostname: input.hostname,
    agentVersion: input.agent_version,
    uptimeS: input.uptime_s,
  });

  if (unusableTargetsKey(input.unusable_targets) !== principal.unusableKey) {
    // Hostnames and reasons only (the contract has no room for a secret); shown on the site page.
    if (input.unusable_targets?.length) {
      logger().warn(
        { applianceId: principal.applianceId, siteId: principal.siteId, unusable: input.unusable_targets },
        "appliance refused Windows targets",
      );
    }
    await recordUnusableTargets(
      db,
      { ...principal, hadUnusable: principal.unusableKey !== "" },
      input.unusable_targets,
    );
  }

  // Audit first: if the access log cannot be written, this check-in fails (503) before any password
  // leaves or any flag is consumed.
  const { targets, released } = buildWindowsTargets(principal);
  await recordCredentialReleases({
    siteId: principal.siteId,
    applianceId: principal.applianceId,
    credentialIds: released,
    releasedAt: now,
  });
  if (principal.scanAwaited && input.last_scan_completed_at) {
    await acknowledgeScan(db, principal.applianceId, new Date(input.last_scan_completed_at));
  }
  const delivered = principal.flagsPending ? await deliverTriggers(db, principal.applianceId) : new Set<string>();
  return {
    status: "ok",
    server_time: now.toISOString(),
    poll_interval: getEnv().POLL_INTERVAL_S,
    trigger_enumeration: delivered.has("enumeration"),
    trigger_immediate_scan: delivered.has("immediate_scan"),
    windows_targets: targets,
    compliance: principal.compliance,
  };
}
