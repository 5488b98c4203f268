import { afterAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as rekeyRoute from "@/app/api/appliances/rekey/route";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { unsealSecret } from "@/appliance/src/crypto/sealed-box";
import { CheckinResponse } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { closeRedis } from "@/server/redis";
import { callRoute, makeApplianceWithKey, makePartner } from "../support/factories";

afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

async function post(handler: typeof rekeyRoute.POST, path: string, apiKey: string, body: unknown) {
  const res = await callRoute(
    handler,
    new Request(`http://x${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("POST /api/appliances/rekey", () => {
  it("replaces the key and public key: the old key is refused at once, the new one works and opens its passwords", async () => {
    const partner = await makePartner();
    const a = await makeApplianceWithKey(partner.partner.id);
    await createSiteCredential(
      db(),
      partner.partner.id,
      a.siteId,
      {
        credential_type: "winrm",
        credential_name: "fs01",
        host: "fs01.clinic.local",
        username: "svc",
        password: "Pw-1!",
      },
      { actorType: "system" },
    );
    const keys = deriveApplianceKeys(generateRootSecret());
    const res = await post(rekeyRoute.POST, "/api/appliances/rekey", a.apiKey, {
      appliance_id: a.applianceId,
      api_key: keys.apiKey,
      public_key: keys.keyPair.publicKeyBase64,
    });
    expect(res).toMatchObject({ status: 200, body: { status: "ok" } });

    expect(
      (await post(checkinRoute.POST, "/api/appliances/checkin", a.apiKey, { appliance_id: a.applianceId })).status,
    ).toBe(401);
    const ok = await post(checkinRoute.POST, "/api/appliances/checkin", keys.apiKey, { appliance_id: a.applianceId });
    expect(ok.status).toBe(200);
    const [target] = CheckinResponse.parse(ok.body).windows_targets;
    expect(target?.password).toBeUndefined();
    const binding = {
      applianceId: a.applianceId,
      credentialId: target?.credential_id ?? "",
      hostname: "fs01.clinic.local",
      username: "svc",
    };
    expect(unsealSecret(target?.sealed_password ?? "", keys.keyPair.privateKey, binding)).toBe("Pw-1!");

    const audit = await db().auditEvent.findMany({ where: { siteId: a.siteId, action: "appliance.rekeyed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "appliance", actorId: a.applianceId, targetId: a.applianceId });
  });

  it("lets exactly one of two concurrent rekeys with the same old key win", async () => {
    const partner = await makePartner();
    const a = await makeApplianceWithKey(partner.partner.id);
    const [k1, k2] = [deriveApplianceKeys(generateRootSecret()), deriveApplianceKeys(generateRootSecret())];
    const results = await Promise.all(
      [k1, k2].map((k) =>
        post(rekeyRoute.POST, "/api/appliances/rekey", a.apiKey, {
          appliance_id: a.applianceId,
          api_key: k.apiKey,
          public_key: k.keyPair.publicKeyBase64,
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409].sort());
    const winner = results[0]?.status === 200 ? k1 : k2;
    const row = await db().appliance.findUniqueOrThrow({ where: { id: a.applianceId } });
    expect(row.publicKey).toBe(winner.keyPair.publicKeyBase64);
  });

  it("refuses another appliance's id (403), a malformed key (400), reusing the same key (400), an unknown key (401)", async () => {
    const partner = await makePartner();
    const a = await makeApplianceWithKey(partner.partner.id);
    const b = await makeApplianceWithKey(partner.partner.id);
    const k = deriveApplianceKeys(generateRootSecret());
    const body = { appliance_id: b.applianceId, api_key: k.apiKey, public_key: k.keyPair.publicKeyBase64 };
    expect((await post(rekeyRoute.POST, "/api/appliances/rekey", a.apiKey, body)).status).toBe(403);
    const bad = await post(rekeyRoute.POST, "/api/appliances/rekey", a.apiKey, {
      ...body,
      appliance_id: a.applianceId,
      api_key: "short",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/api_key/);
    const same = await post(rekeyRoute.POST, "/api/appliances/rekey", a.apiKey, {
      ...body,
      appliance_id: a.applianceId,
      api_key: a.apiKey,
    });
    expect(same.status).toBe(400);
    expect(
      (await post(rekeyRoute.POST, "/api/appliances/rekey", k.apiKey, { ...body, appliance_id: a.applianceId })).status,
    ).toBe(401);
    // Nothing changed for b.
    expect(
      (await post(checkinRoute.POST, "/api/appliances/checkin", b.apiKey, { appliance_id: b.applianceId })).status,
    ).toBe(200);
  });
});
