/**
 * GET /api/partners/me/sites/{site_id}/compliance.csv: the matrix as CSV, one line per host and control,
 * with the same filters and sort as the matrix (paging aside: every matching host). Read a page of hosts at
 * a time through getSiteCompliance, so the CSV and the screen can never disagree. Citations come from the
 * controls table. Scoped by partner (another partner's site: 404, before any line is written).
 */
import { COMPLIANCE_MAX_PAGE_SIZE, complianceControl, type SiteComplianceQuery } from "@/server/contracts";
import type { Db } from "@/server/db";
import { csvLine } from "@/server/lib/csv";
import { getSiteCompliance } from "./site-compliance";

export const COMPLIANCE_CSV_COLUMNS = [
  "host",
  "kind",
  "control",
  "citation",
  "status",
  "observed",
  "expected",
  "checked_at",
  "changed_at",
  "error",
] as const;

/** At most this many hosts in one export (a site's servers and agent workstations fit many times over). */
export const COMPLIANCE_CSV_MAX_HOSTS = 20_000;

export async function exportComplianceCsv(
  db: Db,
  partnerId: string,
  siteId: string,
  query: Omit<SiteComplianceQuery, "page" | "page_size"> = {},
): Promise<string> {
  let out = csvLine(COMPLIANCE_CSV_COLUMNS);
  for (let page = 1; page <= COMPLIANCE_CSV_MAX_HOSTS / COMPLIANCE_MAX_PAGE_SIZE; page++) {
    const matrix = await getSiteCompliance(db, partnerId, siteId, {
      ...query,
      page,
      page_size: COMPLIANCE_MAX_PAGE_SIZE,
    });
    for (const host of matrix.hosts)
      for (const c of host.checks)
        out += csvLine([
          host.hostname,
          host.kind,
          complianceControl(c.check).name,
          c.hipaa_control,
          c.status,
          c.observed,
          c.expected,
          c.checked_at,
          c.changed_at,
          c.error,
        ]);
    if (page * COMPLIANCE_MAX_PAGE_SIZE >= matrix.total) break;
  }
  return out;
}
