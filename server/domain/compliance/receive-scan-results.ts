/**
 * POST /api/appliances/scan-results: a batch of compliance results from an appliance (its own key).
 *
 * Idempotent by `batch_id` (per appliance) and the SHA-256 of the batch's normalised content: the same batch
 * again returns the first answer and changes nothing (the appliance's journal delivers at least once); the
 * same `batch_id` with other content is a 409. A batch naming a host that is not one of the site's Windows
 * targets is refused whole with a 422 naming the host, and nothing of it is stored.
 *
 * Everything a batch causes commits together: the batch row, history and latest results (store-results.ts),
 * the partner's alert for newly failing controls (compliance-alert.ts) and, on a scan's last batch, the
 * scan's completion (record-scan-completed.ts). Batches of one site are serialised by a transaction-scoped
 * advisory lock, so drift is always judged against the latest result actually held.
 */
import { createHash, randomUUID } from "node:crypto";
import { ScanResultsRequest, type ScanResultsResponse } from "@/server/contracts";
import type { Db } from "@/server/db";
import { type AppError, conflict, forbidden, unprocessable } from "@/server/errors";
import type { AppliancePrincipal } from "../appliances/authenticate-appliance";
import { raiseComplianceAlert } from "./compliance-alert";
import { recordScanCompleted } from "./record-scan-completed";
import { findUnknownScanHosts } from "./scan-hosts";
import { type StoredResult, storeResults } from "./store-results";

type Summary = Omit<ScanResultsResponse, "status" | "batch_id" | "duplicate">;

const LISTED_HOSTS = 5;

function normalise(input: ScanResultsRequest): { results: StoredResult[]; completedAt: Date | null; hash: string } {
  const parsed = ScanResultsRequest.parse(input);
  const results = parsed.results.map(
    (r): StoredResult => ({
      hostname: r.hostname,
      check: r.check,
      status: r.status,
      observed: r.observed,
      expected: r.expected,
      error: r.error ?? null,
      checked_at: new Date(r.checked_at).toISOString(),
    }),
  );
  const completedAt = parsed.scan_completed_at ? new Date(parsed.scan_completed_at) : null;
  const hash = createHash("sha256")
    .update(JSON.stringify([completedAt?.toISOString() ?? null, results]))
    .digest("hex");
  return { results, completedAt, hash };
}

function unknownHosts(hosts: string[]): AppError {
  const named = hosts.slice(0, LISTED_HOSTS).join(", ");
  const more = hosts.length > LISTED_HOSTS ? ` and ${hosts.length - LISTED_HOSTS} more` : "";
  return unprocessable(
    `Not a Windows target of this site: ${named}${more}. Report results only for the hosts the check-in lists; nothing of this batch was stored.`,
  );
}

export async function receiveScanResults(
  db: Db,
  principal: AppliancePrincipal,
  input: ScanResultsRequest,
): Promise<ScanResultsResponse> {
  if (input.appliance_id !== principal.applianceId) {
    throw forbidden("This key belongs to a different appliance than the appliance_id given.");
  }
  const { results, completedAt, hash } = normalise(input);
  const { applianceId, siteId, partnerId } = principal;
  const batchId = input.batch_id;
  const answer = (summary: Summary, duplicate: boolean): ScanResultsResponse => ({
    status: "accepted",
    batch_id: batchId,
    duplicate,
    ...summary,
  });

  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`compliance:${siteId}`}, 0))`;
      const seen = await tx.complianceBatch.findUnique({
        where: { applianceId_batchId: { applianceId, batchId } },
        select: { contentHash: true, summary: true },
      });
      if (seen) {
        if (seen.contentHash !== hash) {
          throw conflict(
            `Batch "${batchId}" was already received with different results. Send new results under a new batch_id.`,
          );
        }
        return answer(seen.summary as Summary, true);
      }
      const unknown = await findUnknownScanHosts(tx, siteId, [...new Set(results.map((r) => r.hostname))]);
      if (unknown.length) throw unknownHosts(unknown);

      const id = randomUUID();
      await tx.complianceBatch.create({
        data: { id, siteId, applianceId, batchId, contentHash: hash, resultCount: results.length, summary: {} },
      });
      const stored = await storeResults(tx, { siteId, applianceId, batchRef: id, source: "appliance_scan" }, results);
      if (stored.newlyFailing.length) {
        const site = await tx.site.findUniqueOrThrow({ where: { id: siteId }, select: { clientName: true } });
        await raiseComplianceAlert(tx, { partnerId, siteId, clientName: site.clientName }, stored.newlyFailing);
      }
      if (completedAt) await recordScanCompleted(tx, applianceId, completedAt);
      const summary: Summary = {
        stored: stored.stored,
        latest_updated: stored.latestUpdated,
        drifted: stored.drifted,
        late: stored.late,
        newly_failing: stored.newlyFailing.length,
      };
      await tx.complianceBatch.update({ where: { id }, data: { summary, scanCompletedAt: completedAt } });
      return answer(summary, false);
    },
    { timeout: 30_000 },
  );
}
