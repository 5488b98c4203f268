import type { Db } from "@/server/db";
import { listProvisionCodes } from "./partner-codes";

/** The partner's codes with, for claimed ones, the appliance's live provisioning progress. */
export async function listProvisioningActivity(db: Db, partnerId: string) {
  const codes = await listProvisionCodes(db, partnerId);
  const ids = codes.flatMap((c) => (c.appliance_id ? [c.appliance_id] : []));
  const appliances = ids.length
    ? await db.appliance.findMany({
        where: { id: { in: ids }, site: { partnerId } },
        select: {
          id: true,
          hostname: true,
          status: true,
          provisionStatus: true,
          provisionProgress: true,
          provisionMessage: true,
          lastCheckinAt: true,
        },
      })
    : [];
  const byId = new Map(appliances.map((a) => [a.id, a]));
  return codes.map((code) => {
    const a = code.appliance_id ? byId.get(code.appliance_id) : undefined;
    return {
      ...code,
      appliance: a
        ? {
            id: a.id,
            hostname: a.hostname,
            status: a.status,
            provision_status: a.provisionStatus,
            progress: a.provisionProgress,
            message: a.provisionMessage,
            last_checkin_at: a.lastCheckinAt?.toISOString() ?? null,
          }
        : null,
    };
  });
}
