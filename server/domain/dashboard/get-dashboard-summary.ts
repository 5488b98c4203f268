import type { Db } from "@/server/db";

/** Counts and recent appliances for one partner's dashboard. */
export async function getDashboardSummary(db: Db, partnerId: string) {
  const now = new Date();
  const [sites, appliancesByStatus, pendingCodes, recentAppliances] = await Promise.all([
    db.site.count({ where: { partnerId } }),
    // Revoked appliances are out of service: not counted under any state.
    db.appliance.groupBy({ by: ["status"], where: { site: { partnerId }, revokedAt: null }, _count: { _all: true } }),
    db.provisionCode.count({
      where: { partnerId, claimedAt: null, revokedAt: null, expiresAt: { gt: now } },
    }),
    db.appliance.findMany({
      where: { site: { partnerId } },
      orderBy: { updatedAt: "desc" },
      take: 10,
      select: {
        id: true,
        hostname: true,
        status: true,
        lastCheckinAt: true,
        agentVersion: true,
        site: { select: { id: true, clientName: true } },
      },
    }),
  ]);
  const appliances = { provisioning: 0, online: 0, offline: 0, error: 0 };
  for (const row of appliancesByStatus) appliances[row.status] = row._count._all;
  return {
    sites,
    appliances,
    pending_codes: pendingCodes,
    recent_appliances: recentAppliances.map((a) => ({
      id: a.id,
      hostname: a.hostname,
      status: a.status,
      last_checkin_at: a.lastCheckinAt?.toISOString() ?? null,
      agent_version: a.agentVersion,
      site: { id: a.site.id, client_name: a.site.clientName },
    })),
  };
}
