import type { Db } from "@/server/db";

/** Counts and recent appliances for one partner's dashboard: set-based SQL over the partner's sites. */
export async function getDashboardSummary(db: Db, partnerId: string) {
  const now = new Date();
  const appliances = { provisioning: 0, online: 0, offline: 0, error: 0 };
  const [sites, appliancesByStatus, pendingCodes, recentAppliances] = await Promise.all([
    db.site.count({ where: { partnerId } }),
    // Revoked appliances are out of service: not counted under any state. Counted in SQL over the partner's
    // sites joined (Prisma's relation filter costs twice as much at 10,000 appliances).
    db.$queryRaw<Array<{ status: keyof typeof appliances; count: number }>>`
      SELECT a.status::text AS status, count(*)::int AS count
      FROM appliances a JOIN sites s ON s.id = a.site_id
      WHERE s.partner_id = ${partnerId} AND a.revoked_at IS NULL
      GROUP BY a.status`,
    db.provisionCode.count({
      where: { partnerId, claimedAt: null, revokedAt: null, expiresAt: { gt: now } },
    }),
    db.$queryRaw<
      Array<{
        id: string;
        hostname: string;
        status: keyof typeof appliances;
        last_checkin_at: Date | null;
        agent_version: string | null;
        site_id: string;
        client_name: string;
      }>
    >`
      SELECT a.id, a.hostname, a.status::text AS status, a.last_checkin_at, a.agent_version, s.id AS site_id,
             s.client_name
      FROM appliances a JOIN sites s ON s.id = a.site_id
      WHERE s.partner_id = ${partnerId}
      ORDER BY a.updated_at DESC, a.id
      LIMIT 10`,
  ]);
  for (const row of appliancesByStatus) appliances[row.status] = row.count;
  return {
    sites,
    appliances,
    pending_codes: pendingCodes,
    recent_appliances: recentAppliances.map((a) => ({
      id: a.id,
      hostname: a.hostname,
      status: a.status,
      last_checkin_at: a.last_checkin_at?.toISOString() ?? null,
      agent_version: a.agent_version,
      site: { id: a.site_id, client_name: a.client_name },
    })),
  };
}
