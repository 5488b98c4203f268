import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { callerFor, makePartner, makeSiteWithAppliance, makeUser, sessionUser } from "../support/factories";

afterAll(disconnectDb);

describe("roles on tRPC procedures", () => {
  it("refuses anonymous callers with UNAUTHORIZED", async () => {
    await expect(callerFor(null).partner.dashboard()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("lets partner admins and technicians in", async () => {
    const a = await makePartner();
    const tech = await makeUser("partner_technician", a.partner.id);
    expect((await callerFor(sessionUser(a.user)).partner.branding()).slug).toBe(a.partner.slug);
    expect((await callerFor(sessionUser(tech)).partner.branding()).slug).toBe(a.partner.slug);
  });

  it("refuses a platform admin on partner procedures (no tenant to scope to)", async () => {
    const admin = await makeUser("platform_admin", null);
    await expect(callerFor(sessionUser(admin)).partner.dashboard()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses to create users with an impossible role/partner combination", async () => {
    const a = await makePartner();
    await expect(makeUser("platform_admin", a.partner.id)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(makeUser("partner_admin", null)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("tenancy in the service layer", () => {
  it("counts only the caller's own sites and appliances", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const b1 = await makeSiteWithAppliance(b.partner.id, "online");
    const b2 = await makeSiteWithAppliance(b.partner.id, "offline");
    const a1 = await makeSiteWithAppliance(a.partner.id, "online");

    const forA = await callerFor(sessionUser(a.user)).partner.dashboard();
    const forB = await callerFor(sessionUser(b.user)).partner.dashboard();
    expect(forA.sites).toBe(1);
    expect(forA.appliances).toMatchObject({ online: 1, offline: 0 });
    // Exactly the caller's own appliances, each with its own site: nothing of the other partner.
    expect(forA.recentAppliances.map((x) => [x.id, x.site.id])).toEqual([[a1.appliance.id, a1.siteId]]);
    expect(forB.sites).toBe(2);
    expect(forB.appliances).toMatchObject({ online: 1, offline: 1 });
    expect(forB.recentAppliances.map((x) => x.id).sort()).toEqual([b1.appliance.id, b2.appliance.id].sort());
  });
});
