/**
 * Records the release of stored secrets to an appliance in the credential access log, and resolves
 * only once the row is COMMITTED: the check-in awaits it before answering, so no password leaves the
 * server without a durable audit record (a process killed at any moment loses no release that reached
 * a client). If the write fails, the check-in fails (503) instead of sending passwords unaudited.
 *
 * Cost: releases made in the same turn of the event loop share one statement (a TurnBatcher, as the check-in's lookup
 * shares its read); while one statement runs, releases arriving meanwhile merge in memory into the next
 * (so under load batches grow instead of commits multiplying, and a hot row is updated by one statement
 * of this process at a time). Each statement carries one row per appliance · credential · UTC hour,
 * aggregated here first (ON CONFLICT cannot touch one row twice in a statement), and upserts them in key
 * order, so two statements (from this process or another web instance) that share rows lock them in the
 * same order and can wait for each other but never deadlock.
 */
import { pgPool } from "@/server/db-pg";
import { AppError } from "@/server/errors";
import { TurnBatcher } from "@/server/lib/turn-batcher";
import { logger } from "@/server/logger";

export type CredentialReleases = {
  siteId: string;
  applianceId: string;
  credentialIds: readonly string[];
  releasedAt: Date;
};

const HOUR_MS = 3_600_000;
/**
 * Statements running at once. Measured on the check-in benchmark (sealed, 300 appliances): 1 served as
 * many check-ins as 2 (within noise) with fewer commits per check-in.
 */
const MAX_IN_FLIGHT = 1;

// Times travel as epoch milliseconds (float8) and become UTC timestamps in SQL: cheaper than three Date
// objects and ISO strings per row in this process.
const UPSERT = {
  name: "credential-access-upsert-v2",
  text: `
    INSERT INTO credential_access AS ca
      (appliance_id, credential_id, hour, site_id, count, first_released_at, last_released_at)
    SELECT v.appliance_id, v.credential_id, to_timestamp(v.hour / 1000.0) AT TIME ZONE 'UTC', v.site_id, v.count,
      to_timestamp(v.first_ms / 1000.0) AT TIME ZONE 'UTC', to_timestamp(v.last_ms / 1000.0) AT TIME ZONE 'UTC'
    FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::int[], $6::float8[], $7::float8[])
      AS v(appliance_id, credential_id, hour, site_id, count, first_ms, last_ms)
    ORDER BY 1, 2, 3
    ON CONFLICT (appliance_id, credential_id, hour) DO UPDATE SET
      count = ca.count + excluded.count,
      first_released_at = LEAST(ca.first_released_at, excluded.first_released_at),
      last_released_at = GREATEST(ca.last_released_at, excluded.last_released_at)`,
};

type Row = {
  siteId: string;
  applianceId: string;
  credentialId: string;
  hour: number;
  count: number;
  first: number;
  last: number;
};

/** One row per appliance · credential · hour: ON CONFLICT cannot touch one row twice in a statement. */
function aggregate(releases: CredentialReleases[]): Row[] {
  const rows = new Map<string, Row>();
  for (const release of releases) {
    const at = release.releasedAt.getTime();
    const hour = at - (at % HOUR_MS);
    for (const credentialId of release.credentialIds) {
      // Ids are cuids/uuids and appliance ids "<site>-<MAC>": neither contains a NUL.
      const key = `${release.applianceId}\0${credentialId}\0${hour}`;
      const row = rows.get(key);
      if (row) {
        row.count++;
        row.first = Math.min(row.first, at);
        row.last = Math.max(row.last, at);
      } else {
        rows.set(key, {
          siteId: release.siteId,
          applianceId: release.applianceId,
          credentialId,
          hour,
          count: 1,
          first: at,
          last: at,
        });
      }
    }
  }
  return [...rows.values()];
}

const releases = new TurnBatcher<CredentialReleases, void>({
  maxInFlight: MAX_IN_FLIGHT,
  run: async (batch) => {
    const rows = aggregate(batch);
    try {
      await pgPool().query({
        ...UPSERT,
        values: [
          rows.map((r) => r.applianceId),
          rows.map((r) => r.credentialId),
          rows.map((r) => r.hour),
          rows.map((r) => r.siteId),
          rows.map((r) => r.count),
          rows.map((r) => r.first),
          rows.map((r) => r.last),
        ],
      });
    } catch (err) {
      logger().error(
        { err, rows: rows.length, checkins: batch.length },
        "credential access log write failed; those check-ins answered 503 without credentials",
      );
      throw new AppError(
        "UNAVAILABLE",
        "Central Command could not record this credential release in its access log, so no credentials were sent. The appliance retries at its next check-in.",
      );
    }
    return [];
  },
});

export function recordCredentialReleases(release: CredentialReleases): Promise<void> {
  if (release.credentialIds.length === 0) return Promise.resolve();
  return releases.submit(release);
}
