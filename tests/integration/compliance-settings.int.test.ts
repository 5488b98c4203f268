import { afterAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as settingsRoute from "@/app/api/partners/me/compliance-settings/route";
import * as scheduleRoute from "@/app/api/partners/me/sites/[siteId]/scan-schedule/route";
import { CheckinResponse, DEFAULT_COMPLIANCE_THRESHOLDS } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { mintPartnerToken } from "@/server/domain/tokens/mint-partner-token";
import { closeRedis } from "@/server/redis";
import { callerFor, callRoute, makeApplianceWithKey, makePartner, makeUser, sessionUser } from "../support/factories";

afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

type Handler = Parameters<typeof callRoute>[0];

async function call(handler: Handler, method: string, token: string, body?: unknown, params = {}) {
  const res = await callRoute(
    handler,
    new Request("http://x/", {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    params,
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function checkin(f: { apiKey: string; applianceId: string }) {
  const r = await call(checkinRoute.POST, "POST", f.apiKey, { appliance_id: f.applianceId });
  expect(r.status).toBe(200);
  return CheckinResponse.parse(r.body);
}

async function fleet() {
  const partner = await makePartner();
  const appliance = await makeApplianceWithKey(partner.partner.id);
  return { ...partner, ...appliance };
}

describe("compliance thresholds and scan schedule", () => {
  it("a new partner has the seed's defaults, and its appliances receive them at check-in", async () => {
    const f = await fleet();
    const r = await call(settingsRoute.GET, "GET", f.apiToken);
    expect(r).toEqual({ status: 200, body: { thresholds: DEFAULT_COMPLIANCE_THRESHOLDS } });
    expect((await checkin(f)).compliance).toEqual({ scan_interval_s: 3600, thresholds: DEFAULT_COMPLIANCE_THRESHOLDS });
  });

  it("an admin's change reaches the next check-in, is audited with before and after, and dedupes the allow-list", async () => {
    const f = await fleet();
    const r = await call(settingsRoute.PUT, "PUT", f.apiToken, {
      patch_max_age_days: 14,
      rmm_allow_list: ["Datto RMM", "datto rmm", "ninjaone"],
    });
    expect(r.status).toBe(200);
    const expected = {
      ...DEFAULT_COMPLIANCE_THRESHOLDS,
      patch_max_age_days: 14,
      rmm_allow_list: ["Datto RMM", "ninjaone"],
    };
    expect(r.body.thresholds).toEqual(expected);
    expect((await checkin(f)).compliance?.thresholds).toEqual(expected);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { partnerId: f.partner.id, action: "compliance_thresholds.updated" },
    });
    expect(audit.metadata).toMatchObject({ before: { patch_max_age_days: 30 }, after: { patch_max_age_days: 14 } });
  });

  it("refuses out-of-range, unknown and empty changes with a 400 naming the field", async () => {
    const f = await fleet();
    for (const body of [
      {},
      { patch_max_age_days: 0 },
      { screen_lock_max_seconds: 30 },
      { rmm_allow_list: Array.from({ length: 21 }, (_, i) => `tool${i}`) },
      { surprise: 1 },
    ]) {
      const r = await call(settingsRoute.PUT, "PUT", f.apiToken, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(typeof r.body.error).toBe("string");
    }
    expect((await db().partner.findUniqueOrThrow({ where: { id: f.partner.id } })).patchMaxAgeDays).toBe(30);
  });

  it("only partner admins and full-scope tokens change them", async () => {
    const f = await fleet();
    const readToken = await mintPartnerToken(db(), f.partner.id, { name: "ro", scope: "read" });
    expect((await call(settingsRoute.GET, "GET", readToken.token)).status).toBe(200);
    expect((await call(settingsRoute.PUT, "PUT", readToken.token, { patch_max_age_days: 5 })).status).toBe(403);
    const tech = await makeUser("partner_technician", f.partner.id);
    const asTech = callerFor(sessionUser(tech));
    expect((await asTech.complianceSettings.thresholds()).patchMaxAgeDays).toBe(30);
    await expect(asTech.complianceSettings.updateThresholds({ patchMaxAgeDays: 5 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      asTech.complianceSettings.setSiteSchedule({ siteId: f.siteId, intervalMinutes: 15 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db().partner.findUniqueOrThrow({ where: { id: f.partner.id } })).patchMaxAgeDays).toBe(30);
  });

  it("a site's scan interval reaches its appliance as seconds; out of range is a 400", async () => {
    const f = await fleet();
    const params = { siteId: f.siteId };
    expect(await call(scheduleRoute.GET, "GET", f.apiToken, undefined, params)).toEqual({
      status: 200,
      body: { interval_minutes: 60 },
    });
    expect((await call(scheduleRoute.PUT, "PUT", f.apiToken, { interval_minutes: 10 }, params)).status).toBe(400);
    expect((await call(scheduleRoute.PUT, "PUT", f.apiToken, { interval_minutes: 15 }, params)).status).toBe(200);
    expect((await checkin(f)).compliance?.scan_interval_s).toBe(900);
    const asAdmin = callerFor(sessionUser(f.user));
    expect(await asAdmin.complianceSettings.setSiteSchedule({ siteId: f.siteId, intervalMinutes: 240 })).toEqual({
      intervalMinutes: 240,
    });
    expect((await checkin(f)).compliance?.scan_interval_s).toBe(14_400);
    expect(await db().auditEvent.count({ where: { siteId: f.siteId, action: "scan_schedule.updated" } })).toBe(2);
  });
});
