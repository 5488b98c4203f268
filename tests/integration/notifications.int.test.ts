import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { runMaintenance } from "@/server/domain/maintenance/run-maintenance";
import { callerFor, makePartner, makeSiteWithAppliance, sessionUser } from "../support/factories";

afterAll(disconnectDb);

async function partnerWithSilentAppliance() {
  const p = await makePartner();
  const { appliance } = await makeSiteWithAppliance(p.partner.id, "online");
  await db().appliance.update({
    where: { id: appliance.id },
    data: { lastCheckinAt: new Date(Date.now() - 10 * 60_000) },
  });
  return { ...p, appliance, caller: callerFor(sessionUser(p.user)) };
}

describe("partner notifications", () => {
  it("shows a partner the alert about its own appliance going offline, and no one else's", async () => {
    const a = await partnerWithSilentAppliance();
    const b = await partnerWithSilentAppliance();
    await runMaintenance(db());

    const forA = await a.caller.notifications.list();
    expect(forA.unread).toBe(1);
    expect(forA.items).toHaveLength(1);
    expect(forA.items[0]).toMatchObject({ kind: "appliance.offline", readAt: null });
    // Named by hostname, as the tables call it, never by the internal id.
    expect(forA.items[0]?.body).toContain(a.appliance.hostname);
    expect(forA.items[0]?.body).not.toContain(a.appliance.id);
    // Its call to action: the site page (AD alerts add #domain-credential or #targets).
    expect(forA.items[0]?.actionUrl).toBe(`/sites/${encodeURIComponent(a.appliance.siteId)}`);
    expect(await a.caller.notifications.unreadCount()).toBe(1);

    const forB = await b.caller.notifications.list();
    expect(forB.items.map((n) => n.siteId)).not.toContain(a.appliance.siteId);
  });

  it("marks read only the caller's own notifications", async () => {
    const a = await partnerWithSilentAppliance();
    const b = await partnerWithSilentAppliance();
    await runMaintenance(db());
    const idA = (await a.caller.notifications.list()).items[0]?.id as string;

    // B names A's notification: nothing happens to it.
    expect(await b.caller.notifications.markRead({ ids: [idA] })).toEqual({ marked: 0 });
    expect(await a.caller.notifications.unreadCount()).toBe(1);

    expect(await a.caller.notifications.markRead({})).toEqual({ marked: 1 });
    expect(await a.caller.notifications.unreadCount()).toBe(0);
    expect((await a.caller.notifications.list()).items[0]?.readAt).toEqual(expect.any(String));
    expect(await b.caller.notifications.unreadCount()).toBe(1);
  });

  it("refuses anonymous callers", async () => {
    await expect(callerFor(null).notifications.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
