/**
 * Targets an appliance said it could not use (its check-in's `unusable_targets`: an envelope that did not
 * open, a plain password where a sealed one was due). Kept on the appliance row, as of its last report, so
 * the site page can say which credential to fix; the partner is alerted once when the problem starts, not
 * at every check-in. Written only when the report changed, so a check-in that repeats it writes nothing.
 */
import type { CheckinRequest } from "@/server/contracts";
import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { notifyPartner } from "../notifications/notify-partner";

export type UnusableTarget = NonNullable<CheckinRequest["unusable_targets"]>[number];

/** Order-insensitive identity of a report (jsonb keeps its own key order, so JSON text is no guide). */
export function unusableTargetsKey(targets: readonly UnusableTarget[] | null | undefined): string {
  if (!targets?.length) return "";
  return targets
    .map((t) => `${t.hostname}\0${t.credential_id ?? ""}\0${t.reason}`)
    .sort()
    .join("\n");
}

export async function recordUnusableTargets(
  db: Db,
  appliance: { applianceId: string; siteId: string; partnerId: string; hadUnusable: boolean },
  reported: readonly UnusableTarget[] | undefined,
): Promise<void> {
  const targets = reported?.length ? reported.map((t) => ({ ...t })) : null;
  await db.$transaction(async (tx) => {
    await tx.appliance.update({
      where: { id: appliance.applianceId },
      data: targets
        ? { unusableTargets: targets, ...(appliance.hadUnusable ? {} : { unusableSince: new Date() }) }
        : { unusableTargets: Prisma.DbNull, unusableSince: null },
    });
    if (targets && !appliance.hadUnusable) {
      const site = await tx.site.findUniqueOrThrow({ where: { id: appliance.siteId }, select: { clientName: true } });
      const hosts = [...new Set(targets.map((t) => t.hostname))];
      await notifyPartner(tx, appliance.partnerId, {
        siteId: appliance.siteId,
        applianceId: appliance.applianceId,
        kind: "appliance.targets_unusable",
        title: `Appliance at ${site.clientName} cannot use ${hosts.length === 1 ? "a credential" : `${hosts.length} credentials`}`,
        body: `${hosts.slice(0, 5).join(", ")}${hosts.length > 5 ? ", …" : ""}: ${targets[0]?.reason ?? ""}. Enter the password again on the site page; the appliance tries again at its next check-in.`,
      });
    }
  });
}
