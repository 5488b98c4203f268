import { afterAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { closeRedis } from "@/server/redis";
import { callerFor, callRoute, makeApplianceWithKey, makePartner, makeUser, sessionUser } from "../support/factories";

afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

async function checkin(apiKey: string, body: unknown) {
  const res = await callRoute(
    checkinRoute.POST,
    new Request("http://x/api/appliances/checkin", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    }),
  );
  return res.status;
}

const fs01 = { hostname: "fs01.clinic.local", credential_id: "cred-1", reason: "the sealed password did not open" };
const dc01 = { hostname: "dc01.clinic.local", reason: "a plain password where a sealed one was due" };

describe("targets an appliance could not use", () => {
  it("are shown on the site page, alerted once while they persist, and cleared when the appliance reports none", async () => {
    const partner = await makePartner();
    const { siteId, applianceId, apiKey } = await makeApplianceWithKey(partner.partner.id);
    const admin = callerFor(sessionUser(await makeUser("partner_admin", partner.partner.id)));
    const alerts = () => db().notification.count({ where: { siteId, kind: "appliance.targets_unusable" } });
    const shown = async () => (await admin.sites.get({ siteId })).appliances[0];

    expect(await checkin(apiKey, { appliance_id: applianceId, unusable_targets: [fs01] })).toBe(200);
    const first = await shown();
    expect(first?.unusableTargets).toEqual([
      { hostname: "fs01.clinic.local", credentialId: "cred-1", reason: "the sealed password did not open" },
    ]);
    expect(first?.unusableSince).not.toBeNull();
    expect(await alerts()).toBe(1);

    // The same report again (in another order of keys and entries): no new alert, the start time kept.
    await checkin(apiKey, {
      appliance_id: applianceId,
      unusable_targets: [{ reason: fs01.reason, credential_id: fs01.credential_id, hostname: fs01.hostname }],
    });
    expect(await alerts()).toBe(1);
    expect((await shown())?.unusableSince).toBe(first?.unusableSince);

    // A changed report updates the list, still without a second alert for the same episode.
    await checkin(apiKey, { appliance_id: applianceId, unusable_targets: [dc01, fs01] });
    expect((await shown())?.unusableTargets.map((t) => t.hostname).sort()).toEqual([
      "dc01.clinic.local",
      "fs01.clinic.local",
    ]);
    expect(await alerts()).toBe(1);

    // Fixed: the next check-in reports nothing, and the page says nothing.
    await checkin(apiKey, { appliance_id: applianceId });
    expect((await shown())?.unusableTargets).toEqual([]);
    expect((await shown())?.unusableSince).toBeNull();

    // A new episode is a new alert.
    await checkin(apiKey, { appliance_id: applianceId, unusable_targets: [dc01] });
    expect(await alerts()).toBe(2);
    const alert = await db().notification.findFirst({ where: { siteId }, orderBy: { createdAt: "desc" } });
    expect(alert?.body).toContain("dc01.clinic.local");
  });
});
