/**
 * The scanner's delivery through the appliance's durable outbox: every batch of a scan is journaled as a
 * `scan-results` report (with this appliance's id) before the first of them is sent, and the scan counts as
 * delivered once they are all on disk. The outbox sends them in order until Central Command acknowledges each
 * (batch_id makes a repeat harmless) and sets aside a refused one (a 422: a host no longer a Windows target).
 */
import type { Outbox } from "../../outbox/outbox";
import { REPORT_KINDS } from "../../outbox/report-kinds";
import type { DeliverScan } from "./compliance-scanner";

export function journalScanBatches(outbox: Outbox, applianceId: () => string): DeliverScan {
  return async (batches) => {
    const id = applianceId();
    // Journaled synchronously, all of them, before the outbox's send loop can run again; throws if one cannot be.
    outbox.sendAll(
      REPORT_KINDS.scanResults,
      batches.map((batch) => ({ appliance_id: id, ...batch })),
    );
  };
}
