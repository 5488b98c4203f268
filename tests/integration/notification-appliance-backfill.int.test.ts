import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { callerFor, makePartner, makeSiteWithAppliance, sessionUser } from "../support/factories";

afterAll(disconnectDb);

const BACKFILL = readFileSync("prisma/migrations/20261203073000_notification_appliance_backfill/migration.sql", "utf8");

/** An alert as they were written before appliance_id: the appliance named by its id in the text. */
function oldAlert(partnerId: string, siteId: string, body: string) {
  return db().notification.create({
    data: { partnerId, siteId, kind: "appliance.offline", title: "Appliance offline at the clinic", body },
  });
}

describe("backfill of alerts that name their appliance by id (migration 20261203073000)", () => {
  it("links an old alert to its own partner's appliance and names it by hostname, in the list too", async () => {
    const a = await makePartner();
    const { siteId, appliance } = await makeSiteWithAppliance(a.partner.id, "offline");
    await db().appliance.update({ where: { id: appliance.id }, data: { hostname: "frontdesk-gw" } });
    // A second appliance at the same site (a clinic with two), and one at another of A's sites.
    const second = {
      appliance: await db().appliance.create({
        data: {
          id: `${siteId}-02:AB:CD:EF:00:02`,
          siteId,
          macAddress: "02:AB:CD:EF:00:02",
          hostname: "backoffice-gw",
          apiKeyHash: "0".repeat(64),
          status: "offline",
        },
      }),
    };
    const elsewhere = await makeSiteWithAppliance(a.partner.id, "offline");
    const b = await makePartner();

    const mine = await oldAlert(a.partner.id, siteId, `${appliance.id} has not checked in for 15 minutes.`);
    // Two of A's appliances in one text: which one it is about is a guess, so it is left alone.
    const ambiguous = await oldAlert(a.partner.id, siteId, `${appliance.id} and ${second.appliance.id} went quiet.`);
    // B's alert quoting A's appliance id: never linked across tenants.
    const other = await oldAlert(b.partner.id, siteId, `${appliance.id} has not checked in for 15 minutes.`);
    // An id of an appliance at another site than the alert's: not the alert's appliance, left alone.
    const otherSite = await oldAlert(a.partner.id, siteId, `${elsewhere.appliance.id} has not checked in.`);
    // Removed appliance: nothing to name it by.
    const gone = await oldAlert(a.partner.id, siteId, `${siteId}-00:00:00:00:00:00 has not checked in.`);

    expect(await db().$executeRawUnsafe(BACKFILL)).toBeGreaterThanOrEqual(1);

    const after = await db().notification.findUniqueOrThrow({ where: { id: mine.id } });
    expect(after.applianceId).toBe(appliance.id);
    expect(after.body).toBe("frontdesk-gw has not checked in for 15 minutes.");
    for (const untouched of [ambiguous, other, otherSite, gone]) {
      const row = await db().notification.findUniqueOrThrow({ where: { id: untouched.id } });
      expect(row.applianceId).toBeNull();
      expect(row.body).toBe(untouched.body);
    }

    // The partner's list now names it by hostname and can be searched by it.
    const page = await callerFor(sessionUser(a.user)).notifications.page({ q: "frontdesk-gw" });
    expect(page.notifications.map((n) => [n.id, n.hostname, n.detail])).toEqual([
      [mine.id, "frontdesk-gw", "frontdesk-gw has not checked in for 15 minutes."],
    ]);

    // Again: nothing more changes.
    await db().$executeRawUnsafe(BACKFILL);
    expect((await db().notification.findUniqueOrThrow({ where: { id: ambiguous.id } })).applianceId).toBeNull();
    expect((await db().notification.findUniqueOrThrow({ where: { id: mine.id } })).body).toBe(after.body);
  });
});
