/**
 * Tells the partner which controls started failing, in the transaction that stored the results: one
 * notification per batch naming each host and control (a dozen at most, then "and N more"), so a whole site
 * failing at once is one alert, not hundreds. A pair that keeps failing is not in `newlyFailing` again
 * (store-results.ts keeps its alert open until it passes), so repeated scans raise nothing new.
 */
import { complianceControl } from "@/server/contracts";
import type { Prisma } from "@/server/generated/prisma/client";
import { notifyPartner } from "../notifications/notify-partner";
import type { NewlyFailing } from "./store-results";

export const ALERT_LISTED = 12;

export function describeFailures(failing: NewlyFailing[]): string {
  const lines = failing.slice(0, ALERT_LISTED).map((f) => {
    const control = complianceControl(f.check);
    return `${f.hostname}: ${control.name} (${control.hipaa_control}) failing: ${f.observed || "no value"}`;
  });
  if (failing.length > ALERT_LISTED) lines.push(`and ${failing.length - ALERT_LISTED} more.`);
  return lines.join("\n");
}

export async function raiseComplianceAlert(
  tx: Prisma.TransactionClient,
  site: { partnerId: string; siteId: string; clientName: string },
  failing: NewlyFailing[],
): Promise<boolean> {
  if (failing.length === 0) return false;
  const hosts = new Set(failing.map((f) => f.hostname)).size;
  const controls = failing.length === 1 ? "1 control" : `${failing.length} controls`;
  await notifyPartner(tx, site.partnerId, {
    siteId: site.siteId,
    kind: "compliance.failing",
    title: `${controls} started failing on ${hosts === 1 ? "1 host" : `${hosts} hosts`} at ${site.clientName}`,
    body: describeFailures(failing),
  });
  return true;
}
