/**
 * Stores a batch of compliance results in one statement, whatever its size (no round trip per row): every
 * result goes to the history, and the newest result per host and check replaces the latest one only when it
 * was observed later than the latest held (an older `checked_at`, from a batch delayed in the appliance's
 * journal, never overwrites a newer result). Observation times are stored as sent.
 *
 * Drift: a result observed after the latest, whose status differs from the one before it (the latest held,
 * or the previous result of the same host and check within the batch). `changed_at` is the observation time
 * of the last such change (or of the first observation). A pair that enters `fail` while no alert is open
 * opens one and is returned in `newlyFailing`; passing again closes it, so a later failure alerts again.
 *
 * Call inside the transaction that holds the site's compliance lock (receive-scan-results.ts), so the
 * latest rows read here are the ones the upsert replaces.
 */
import type { ComplianceSource, ComplianceStatus } from "@/server/contracts";
import type { Prisma } from "@/server/generated/prisma/client";

export type StoredResult = {
  hostname: string;
  check: string;
  status: ComplianceStatus;
  observed: string;
  expected: string;
  error: string | null;
  /** ISO 8601, millisecond precision (the column's). */
  checked_at: string;
};

export type NewlyFailing = { hostname: string; check: string; observed: string };

export type StoreOutcome = {
  stored: number;
  latestUpdated: number;
  drifted: number;
  late: number;
  newlyFailing: NewlyFailing[];
};

type Row = {
  hostname: string;
  check_name: string;
  observed: string;
  kind: "latest" | "late" | "drift" | "alert";
  n: number;
};

export async function storeResults(
  tx: Prisma.TransactionClient,
  target: { siteId: string; applianceId: string | null; batchRef: string | null; source: ComplianceSource },
  results: StoredResult[],
): Promise<StoreOutcome> {
  const outcome: StoreOutcome = { stored: results.length, latestUpdated: 0, drifted: 0, late: 0, newlyFailing: [] };
  if (results.length === 0) return outcome;
  const input = JSON.stringify(results.map((r, ord) => ({ ...r, check_name: r.check, ord })));
  const { siteId, applianceId, batchRef, source } = target;
  const rows = await tx.$queryRaw<Row[]>`
    WITH input AS (
      SELECT i.hostname, i.check_name, i.status, i.observed, i.expected, i.error,
             (i.checked_at AT TIME ZONE 'UTC')::timestamp(3) AS checked_at, i.ord
      FROM jsonb_to_recordset(${input}::jsonb) AS i(hostname text, check_name text, status text, observed text,
           expected text, error text, checked_at timestamptz, ord int)
    ), calc AS (
      SELECT i.*, l.status::text AS latest_status, l.checked_at AS latest_at, l.changed_at AS latest_changed_at,
             coalesce(l.alert_open, false) AS alert_open,
             lag(i.status) OVER w AS prev_status, lag(i.checked_at) OVER w AS prev_at,
             row_number() OVER (PARTITION BY i.hostname, i.check_name ORDER BY i.checked_at DESC, i.ord DESC) AS rn
      FROM input i
      LEFT JOIN compliance_latest l ON l.site_id = ${siteId} AND l.hostname = i.hostname AND l.check_name = i.check_name
      WINDOW w AS (PARTITION BY i.hostname, i.check_name ORDER BY i.checked_at, i.ord)
    ), judged AS (
      SELECT c.*, (c.latest_at IS NULL OR c.checked_at > c.latest_at) AS newer,
             CASE WHEN c.prev_at IS NOT NULL AND (c.latest_at IS NULL OR c.prev_at > c.latest_at) THEN c.prev_status
                  ELSE c.latest_status END AS previous
      FROM calc c
    ), marked AS (
      SELECT j.*, j.newer AND j.previous IS NOT NULL AND j.previous <> j.status AS drift,
             max(CASE WHEN j.newer AND (j.previous IS NULL OR j.previous <> j.status) THEN j.checked_at END)
               OVER (PARTITION BY j.hostname, j.check_name) AS changed_in_batch
      FROM judged j
    ), history AS (
      INSERT INTO compliance_results (site_id, hostname, check_name, source, status, observed, expected, error,
                                      checked_at, appliance_id, batch_ref, previous_status, drift)
      SELECT ${siteId}, m.hostname, m.check_name, ${source}::"ComplianceSource", m.status::"ComplianceStatus",
             m.observed, m.expected, m.error, m.checked_at, ${applianceId}, ${batchRef},
             CASE WHEN m.newer THEN m.previous::"ComplianceStatus" END, m.drift
      FROM marked m ORDER BY m.ord
    ), final AS (
      SELECT m.*, coalesce(m.changed_in_batch, m.latest_changed_at) AS changed_at,
             m.status = 'fail' AND NOT m.alert_open AS alert
      FROM marked m WHERE m.rn = 1 AND m.newer
    ), upsert AS (
      INSERT INTO compliance_latest AS l (site_id, hostname, check_name, source, status, observed, expected, error,
                                          checked_at, changed_at, received_at, appliance_id, alert_open)
      SELECT ${siteId}, f.hostname, f.check_name, ${source}::"ComplianceSource", f.status::"ComplianceStatus",
             f.observed, f.expected, f.error, f.checked_at, f.changed_at, now(), ${applianceId},
             CASE f.status WHEN 'fail' THEN true WHEN 'pass' THEN false ELSE f.alert_open END
      FROM final f
      ON CONFLICT (site_id, hostname, check_name) DO UPDATE SET
        source = EXCLUDED.source, status = EXCLUDED.status, observed = EXCLUDED.observed,
        expected = EXCLUDED.expected, error = EXCLUDED.error, checked_at = EXCLUDED.checked_at,
        changed_at = EXCLUDED.changed_at, received_at = EXCLUDED.received_at,
        appliance_id = EXCLUDED.appliance_id, alert_open = EXCLUDED.alert_open
      WHERE l.checked_at < EXCLUDED.checked_at
      RETURNING 1
    )
    SELECT '' AS hostname, '' AS check_name, '' AS observed, 'latest' AS kind, (SELECT count(*)::int FROM upsert) AS n
    UNION ALL SELECT '', '', '', 'late', count(*)::int FROM marked WHERE NOT newer
    UNION ALL SELECT '', '', '', 'drift', count(*)::int FROM marked WHERE drift
    UNION ALL (SELECT hostname, check_name, observed, 'alert', 1 FROM final WHERE alert ORDER BY hostname, check_name)`;
  for (const r of rows) {
    if (r.kind === "latest") outcome.latestUpdated = r.n;
    else if (r.kind === "late") outcome.late = r.n;
    else if (r.kind === "drift") outcome.drifted = r.n;
    else outcome.newlyFailing.push({ hostname: r.hostname, check: r.check_name, observed: r.observed });
  }
  return outcome;
}
