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
    await makeSiteWithAppliance(b.partner.id, "online");
    await makeSiteWithAppliance(b.partner.id, "offline");
    await makeSiteWithAppliance(a.partner.id, "online");

    const forA = await callerFor(sessionUser(a.user)).partner.dashboard();
    const forB = await callerFor(sessionUser(b.user)).partner.dashboard();
    expect(forA.sites).toBe(1);
    expect(forA.appliances).toMatchObject({ online: 1, offline: 0 });
    expect(forA.recentAppliances.every((x) => x.site.id.length > 0)).toBe(true);
    expect(forB.sites).toBe(2);
    expect(forB.appliances).toMatchObject({ online: 1, offline: 1 });
    const idsA = new Set(forA.recentAppliances.map((x) => x.id));
    for (const appliance of forB.recentAppliances) expect(idsA.has(appliance.id)).toBe(false);
  });
});
