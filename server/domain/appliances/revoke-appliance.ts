/**
 * Revokes an appliance (a stolen or retired box): from the next request its key answers 401 on every
 * appliance-authenticated route (check-in, provision status, heartbeat, config), so no credential is
 * released to it again. Partner admins (UI) and full tokens (REST) may call it; the callers check that.
 *
 * Idempotent: revoking a revoked appliance answers the first revocation again (200), with no second
 * audit event. Another partner's appliance is "not found". There is no un-revoke: the box must be
 * provisioned again with a new code, which gives it a new key.
 */
import type { ApplianceRevoked } from "@/server/contracts";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";

/** `by` is what people see as "revoked by": a user's email, or the API token's name and prefix. */
export async function revokeAppliance(
  db: Db,
  partnerId: string,
  applianceId: string,
  actor: Actor & { by: string },
): Promise<ApplianceRevoked> {
  const { by, ...auditActor } = actor;
  return db.$transaction(async (tx) => {
    const now = new Date();
    // Scoped by partner through the site; the conditional update makes "first revoke wins" atomic.
    const updated = await tx.appliance.updateMany({
      where: { id: applianceId, site: { partnerId }, revokedAt: null },
      data: { revokedAt: now, revokedBy: by },
    });
    const row = await tx.appliance.findFirst({
      where: { id: applianceId, site: { partnerId } },
      select: { id: true, siteId: true, hostname: true, revokedAt: true, revokedBy: true },
    });
    if (!row?.revokedAt) throw notFound("Appliance not found.");
    if (updated.count === 1) {
      await recordAuditEvent(tx, {
        ...auditActor,
        action: "appliance.revoked",
        partnerId,
        siteId: row.siteId,
        targetType: "appliance",
        targetId: row.id,
        metadata: { hostname: row.hostname, revoked_by: by },
      });
    }
    return {
      appliance_id: row.id,
      site_id: row.siteId,
      revoked_at: row.revokedAt.toISOString(),
      revoked_by: row.revokedBy ?? by,
    };
  });
}
