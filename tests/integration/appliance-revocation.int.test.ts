/**
 * Appliance revocation: from the request after the revoke, the appliance's key answers 401 on every
 * appliance-authenticated route and no password is released to it; who did it is recorded; another
 * partner's appliance is 404; revoking twice is 200 with the first revocation.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as revokeRoute from "@/app/api/partners/me/appliances/[applianceId]/revoke/route";
import * as configRoute from "@/app/api/provision/config/[applianceId]/route";
import * as heartbeatRoute from "@/app/api/provision/heartbeat/route";
import * as statusRoute from "@/app/api/provision/status/route";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { runMaintenance } from "@/server/domain/maintenance/run-maintenance";
import { createPartnerApiToken } from "@/server/domain/tokens/partner-api-tokens";
import type { RouteHandler } from "@/server/http/route";
import { closeRedis } from "@/server/redis";
import { callerFor, callRoute, makeApplianceWithKey, makePartner, sessionUser } from "../support/factories";

afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

const SECRET = "Summer2027!never-to-a-stolen-box";
type Json = Record<string, unknown>;

async function call(handler: RouteHandler, method: string, key: string, params: Json = {}, body?: unknown) {
  const res = await callRoute(
    handler,
    new Request("http://x/api", {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    params as Record<string, string>,
  );
  const text = await res.text();
  return { status: res.status, text, body: (text ? JSON.parse(text) : null) as Json };
}

async function setup() {
  const p = await makePartner();
  const a = await makeApplianceWithKey(p.partner.id);
  await createSiteCredential(
    db(),
    p.partner.id,
    a.siteId,
    {
      credential_type: "domain_admin",
      credential_name: "DC",
      host: "dc01.clinic.local",
      username: "Administrator",
      password: SECRET,
      domain: "CLINIC",
      use_ssl: false,
    },
    { actorType: "system" },
  );
  return { p, ...a };
}

const checkin = (key: string, applianceId: string) =>
  call(checkinRoute.POST, "POST", key, {}, { appliance_id: applianceId });

describe("POST /api/partners/me/appliances/{appliance_id}/revoke", () => {
  it("makes every appliance route answer 401 from the next request, and releases no password", async () => {
    const w = await setup();
    const before = await checkin(w.apiKey, w.applianceId);
    expect(before.status).toBe(200);
    expect(before.text).toContain(SECRET);

    const res = await call(revokeRoute.POST, "POST", w.p.apiToken, { applianceId: w.applianceId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ appliance_id: w.applianceId, site_id: w.siteId });
    expect(res.body.revoked_by).toMatch(/^API token "initial" \(occ_pat_/);

    const after = await checkin(w.apiKey, w.applianceId);
    expect(after.status).toBe(401);
    expect(after.body.error).toMatch(/revoked/);
    expect(after.text).not.toContain(SECRET);

    const id = w.applianceId;
    expect((await call(heartbeatRoute.POST, "POST", w.apiKey, {}, { appliance_id: id })).status).toBe(401);
    expect((await call(statusRoute.POST, "POST", w.apiKey, {}, { appliance_id: id, status: "ready" })).status).toBe(
      401,
    );
    expect((await call(configRoute.GET, "GET", w.apiKey, { applianceId: id })).status).toBe(401);

    const row = await db().appliance.findUniqueOrThrow({ where: { id } });
    expect(row.revokedAt?.toISOString()).toBe(res.body.revoked_at);
    expect(row.revokedBy).toBe(res.body.revoked_by);
    const audit = await db().auditEvent.findMany({ where: { targetId: id, action: "appliance.revoked" } });
    expect(audit.map((e) => [e.actorType, e.partnerId, e.siteId])).toEqual([
      ["partner_token", w.p.partner.id, w.siteId],
    ]);
  });

  it("is idempotent: revoking again answers 200 with the first revocation and no second event", async () => {
    const w = await setup();
    const first = await call(revokeRoute.POST, "POST", w.p.apiToken, { applianceId: w.applianceId });
    const second = await call(revokeRoute.POST, "POST", w.p.apiToken, { applianceId: w.applianceId });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await db().auditEvent.count({ where: { targetId: w.applianceId, action: "appliance.revoked" } })).toBe(1);
  });

  it("answers 404 for another partner's appliance, which keeps working", async () => {
    const w = await setup();
    const other = await makePartner();
    const res = await call(revokeRoute.POST, "POST", other.apiToken, { applianceId: w.applianceId });
    expect(res.status).toBe(404);
    expect((await checkin(w.apiKey, w.applianceId)).status).toBe(200);
  });

  it("refuses a read token with 403", async () => {
    const w = await setup();
    const read = await createPartnerApiToken(
      db(),
      w.p.partner.id,
      { name: "ro", scope: "read" },
      { actorType: "system" },
    );
    const res = await call(revokeRoute.POST, "POST", read.token, { applianceId: w.applianceId });
    expect(res.status).toBe(403);
    expect((await checkin(w.apiKey, w.applianceId)).status).toBe(200);
  });

  it("leaves the partner's other appliances alone", async () => {
    const w = await setup();
    const sibling = await makeApplianceWithKey(w.p.partner.id);
    await call(revokeRoute.POST, "POST", w.p.apiToken, { applianceId: w.applianceId });
    expect((await checkin(sibling.apiKey, sibling.applianceId)).status).toBe(200);
  });
});

describe("revoking from the UI (tRPC, partner admin)", () => {
  it("records the admin's email as revoked_by and shows the revocation on the site page", async () => {
    const w = await setup();
    const admin = callerFor(sessionUser(w.p.user));
    await admin.sites.revokeAppliance({ applianceId: w.applianceId });
    const site = await admin.sites.get({ siteId: w.siteId });
    expect(site.appliances.map((a) => [a.id, a.revokedBy])).toEqual([[w.applianceId, w.p.user.email]]);
    expect(site.appliances[0]?.revokedAt).toEqual(expect.any(String));
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { targetId: w.applianceId, action: "appliance.revoked" },
    });
    expect([audit.actorType, audit.actorId]).toEqual(["user", w.p.user.id]);
    expect((await checkin(w.apiKey, w.applianceId)).status).toBe(401);
  });

  it("does not count a revoked appliance as online, nor alarm when it goes quiet", async () => {
    const w = await setup();
    const admin = callerFor(sessionUser(w.p.user));
    await admin.sites.revokeAppliance({ applianceId: w.applianceId });
    await db().appliance.update({
      where: { id: w.applianceId },
      data: { lastCheckinAt: new Date(Date.now() - 3_600_000), status: "online" },
    });
    await runMaintenance(db());
    expect((await db().appliance.findUniqueOrThrow({ where: { id: w.applianceId } })).status).toBe("online");
    expect(await db().notification.count({ where: { partnerId: w.p.partner.id, kind: "appliance.offline" } })).toBe(0);
    const dash = await admin.partner.dashboard();
    expect(dash.appliances).toMatchObject({ online: 0, offline: 0 });
    expect((await admin.sites.list()).map((s) => s.online)).toEqual([0]);
  });
});
