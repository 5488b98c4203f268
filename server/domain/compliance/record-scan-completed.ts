/**
 * A scan's last batch carries `scan_completed_at`: the appliance's last completed scan moves forward (never
 * back, whatever order batches arrive in), and the immediate-scan flags delivered before that time are
 * completed, so maintenance does not re-arm them and the appliance is not asked to scan again. The time is
 * recorded as the appliance sent it; for closing flags it counts as no later than now, so an appliance whose
 * clock runs ahead cannot close a flag raised after its scan ended.
 */
import type { Prisma } from "@/server/generated/prisma/client";
import { acknowledgeScan } from "../checkin/triggers";

export async function recordScanCompleted(
  tx: Prisma.TransactionClient,
  applianceId: string,
  completedAt: Date,
): Promise<number> {
  await tx.$executeRaw`
    UPDATE appliances SET last_scan_completed_at = GREATEST(last_scan_completed_at, ${completedAt}), updated_at = now()
    WHERE id = ${applianceId}`;
  const now = new Date();
  return acknowledgeScan(tx, applianceId, completedAt < now ? completedAt : now);
}
