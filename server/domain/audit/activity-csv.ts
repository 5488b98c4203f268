/**
 * The activity log as CSV (RFC 4180), streamed a batch at a time and bounded to ACTIVITY_CSV_MAX_ROWS.
 * Fields are written by the shared CSV writer (server/lib/csv.ts: every field quoted, formulas defused).
 */
import { ACTIVITY_CSV_MAX_ROWS, type ActivityEntry, type ActivityQuery } from "@/server/contracts/activity";
import type { Db } from "@/server/db";
import { csvLine } from "@/server/lib/csv";
import { eachPartnerActivity } from "./list-partner-activity";

const COLUMNS = [
  ["time", (e: ActivityEntry) => e.at],
  ["action", (e: ActivityEntry) => e.action],
  ["summary", (e: ActivityEntry) => e.summary],
  ["actor_type", (e: ActivityEntry) => e.actor_type],
  ["actor", (e: ActivityEntry) => e.actor_name],
  ["actor_detail", (e: ActivityEntry) => e.actor_detail],
  ["ip", (e: ActivityEntry) => e.ip],
  ["site", (e: ActivityEntry) => e.site_name],
  ["target_type", (e: ActivityEntry) => e.target_type],
  ["target", (e: ActivityEntry) => e.target_name],
  ["target_id", (e: ActivityEntry) => e.target_id],
] as const;

export function activityCsvStream(db: Db, partnerId: string, query: ActivityQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = eachPartnerActivity(db, partnerId, query, ACTIVITY_CSV_MAX_ROWS);
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(COLUMNS.map(([name]) => name))));
        return;
      }
      try {
        const next = await batches.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map((e) => csvLine(COLUMNS.map(([, get]) => get(e)))).join("")));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
