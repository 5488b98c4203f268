/** The back-online hook is process-wide and read at each flush (it used to keep the first callback given). */
import { afterAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { type BackOnline, flushCheckinBuffers, onAppliancesBackOnline } from "@/server/domain/checkin/check-in";
import { closeRedis } from "@/server/redis";
import { callRoute, makeApplianceWithKey, makePartner } from "../support/factories";

afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

async function offlineApplianceChecksIn(partnerId: string) {
  const { applianceId, apiKey } = await makeApplianceWithKey(partnerId);
  await db().appliance.update({ where: { id: applianceId }, data: { status: "offline" } });
  const res = await callRoute(
    checkinRoute.POST,
    new Request("http://x/api/appliances/checkin", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ appliance_id: applianceId, hostname: "osiriscare-appliance" }),
    }),
  );
  expect(res.status).toBe(200);
  await flushCheckinBuffers();
  return applianceId;
}

describe("appliances back online", () => {
  it("reach the hook registered now, not the first one ever given", async () => {
    const partner = await makePartner();
    const first: BackOnline[] = [];
    const second: BackOnline[] = [];
    onAppliancesBackOnline(async (rows) => {
      first.push(...rows);
    });
    const a = await offlineApplianceChecksIn(partner.partner.id);
    expect(first.map((r) => r.applianceId)).toEqual([a]);

    onAppliancesBackOnline(async (rows) => {
      second.push(...rows);
    });
    const b = await offlineApplianceChecksIn(partner.partner.id);
    expect(second.map((r) => r.applianceId)).toEqual([b]);
    expect(first.map((r) => r.applianceId)).toEqual([a]);
  });
});
