/**
 * Retention of the credential access log: deletes rows whose hour is older than the retention period
 * (CREDENTIAL_ACCESS_RETENTION_DAYS), in small batches so no statement holds many locks or runs long
 * beside the check-ins writing the current hour. Idempotent; safe to run on several workers at once.
 * Called by the maintenance job; what one run leaves (more than maxBatches × batchSize) goes next run.
 */
import type { Db } from "@/server/db";
import { getEnv } from "@/server/env";

export type PruneOptions = { retentionDays?: number; batchSize?: number; maxBatches?: number; now?: Date };

export async function pruneCredentialAccess(db: Db, opts: PruneOptions = {}): Promise<number> {
  const retentionDays = opts.retentionDays ?? getEnv().CREDENTIAL_ACCESS_RETENTION_DAYS;
  const batchSize = opts.batchSize ?? 5_000;
  const maxBatches = opts.maxBatches ?? 20;
  // A row holds the releases of [hour, hour + 1 h): it goes once all of them are past the retention.
  // Hours are stored as UTC wall-clock timestamps; an ISO string cast to timestamp is the same.
  const lastHour = new Date((opts.now ?? new Date()).getTime() - retentionDays * 86_400_000 - 3_600_000);
  const cutoff = lastHour.toISOString();
  let deleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await db.$executeRaw`
      DELETE FROM credential_access WHERE (appliance_id, credential_id, hour) IN (
        SELECT appliance_id, credential_id, hour FROM credential_access
        WHERE hour <= ${cutoff}::timestamp LIMIT ${batchSize})`;
    deleted += n;
    if (n < batchSize) break;
  }
  return deleted;
}
