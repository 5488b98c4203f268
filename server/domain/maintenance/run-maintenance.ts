/**
 * The periodic housekeeping the worker runs (every 30 s): appliances that missed 3 check-in intervals
 * go offline (and their partner is told); flags delivered but never reported back are re-armed, at most
 * 3 deliveries in all, then marked failed with a notification; credential access log rows past their
 * retention are deleted (in small batches). Every step is one set-based statement, idempotent, safe to run on several workers.
 */
import type { Db } from "@/server/db";
import { getEnv } from "@/server/env";
import { pruneCredentialAccess } from "../credential-access/prune-credential-access";
import { notifyPartner } from "../notifications/notify-partner";

export const MAX_DELIVERIES = 3;

export type MaintenanceOptions = { rearmAfterS?: number; offlineAfterIntervals?: number };

export async function runMaintenance(db: Db, opts: MaintenanceOptions = {}) {
  const rearmAfterS = opts.rearmAfterS ?? 30 * 60;
  const offlineAfterS = (opts.offlineAfterIntervals ?? 3) * getEnv().POLL_INTERVAL_S;

  const wentOffline = await db.$queryRaw<
    Array<{ id: string; hostname: string; site_id: string; partner_id: string; client_name: string }>
  >`
    UPDATE appliances a SET status = 'offline', updated_at = now()
    FROM sites s
    WHERE s.id = a.site_id AND a.status = 'online'
      AND a.last_checkin_at < now() - make_interval(secs => ${offlineAfterS})
      AND a.revoked_at IS NULL -- a revoked appliance is expected to go quiet; no alarm
    RETURNING a.id, a.hostname, a.site_id, s.partner_id, s.client_name`;
  for (const a of wentOffline) {
    await notifyPartner(db, a.partner_id, {
      siteId: a.site_id,
      applianceId: a.id,
      kind: "appliance.offline",
      title: `Appliance offline at ${a.client_name}`,
      body: `${a.hostname} has not checked in for ${Math.round(offlineAfterS / 60)} minutes. Check its power and network.`,
    });
  }

  // At most one pending flag per appliance and kind (appliance_triggers_one_pending_idx): a delivered flag is
  // re-armed only when no newer request of its kind is pending (that one will be delivered anyway), and of
  // several delivered ones only the newest.
  const rearmed = await db.$queryRaw<Array<{ appliance_id: string }>>`
    WITH due AS (
      SELECT DISTINCT ON (t.appliance_id, t.kind) t.id FROM appliance_triggers t
      WHERE t.state = 'delivered' AND t.completed_at IS NULL AND t.attempts < ${MAX_DELIVERIES}
        AND t.delivered_at < now() - make_interval(secs => ${rearmAfterS})
        AND NOT EXISTS (SELECT 1 FROM appliance_triggers p
                        WHERE p.appliance_id = t.appliance_id AND p.kind = t.kind AND p.state = 'pending')
      ORDER BY t.appliance_id, t.kind, t.delivered_at DESC
    )
    UPDATE appliance_triggers SET state = 'pending'
    WHERE id IN (SELECT id FROM due)
    RETURNING appliance_id`;

  const failed = await db.$queryRaw<
    Array<{
      appliance_id: string;
      hostname: string;
      kind: string;
      site_id: string;
      partner_id: string;
      client_name: string;
    }>
  >`
    UPDATE appliance_triggers t SET state = 'failed'
    FROM appliances a JOIN sites s ON s.id = a.site_id
    WHERE a.id = t.appliance_id AND t.state = 'delivered' AND t.completed_at IS NULL AND t.attempts >= ${MAX_DELIVERIES}
      AND t.delivered_at < now() - make_interval(secs => ${rearmAfterS})
    RETURNING t.appliance_id, a.hostname, t.kind::text AS kind, a.site_id, s.partner_id, s.client_name`;
  for (const t of failed) {
    const what = t.kind === "enumeration" ? "Active Directory enumeration" : "the requested compliance scan";
    await notifyPartner(db, t.partner_id, {
      siteId: t.site_id,
      applianceId: t.appliance_id,
      kind: "trigger.failed",
      title: `Appliance did not complete ${what}`,
      body: `${t.hostname} at ${t.client_name} received the request ${MAX_DELIVERIES} times without reporting back. Check the appliance's logs.`,
    });
  }

  const accessPruned = await pruneCredentialAccess(db);

  return { wentOffline: wentOffline.length, rearmed: rearmed.length, failed: failed.length, accessPruned };
}
