import { randomBytes } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import * as codeRoute from "@/app/api/partners/me/provision-codes/[id]/route";
import * as codesRoute from "@/app/api/partners/me/provision-codes/route";
import * as claimRoute from "@/app/api/provision/claim/route";
import * as configRoute from "@/app/api/provision/config/[applianceId]/route";
import * as heartbeatRoute from "@/app/api/provision/heartbeat/route";
import * as statusRoute from "@/app/api/provision/status/route";
import * as validateRoute from "@/app/api/provision/validate/[code]/route";
import { ClaimResponse, ProvisionCodeCreated, ValidateResponse } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closeRedis, redis } from "@/server/redis";
import { callRoute, makePartner } from "../support/factories";
import { testEnv } from "../support/test-env";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

beforeEach(async () => {
  const keys = await redis().keys("provision-miss:*");
  if (keys.length) await redis().del(...keys);
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

const randomMac = () => Array.from(randomBytes(6), (b) => b.toString(16).padStart(2, "0")).join(":");
const apiKey = () => randomBytes(24).toString("base64url");

async function createCode(token: string, body: Record<string, unknown> = { client_name: "Smith Family Clinic" }) {
  const res = await callRoute(
    codesRoute.POST,
    new Request("http://x/api/partners/me/provision-codes", json(body, { authorization: `Bearer ${token}` })),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function claim(body: Record<string, unknown> | string, ip = "203.0.113.7") {
  const res = await callRoute(
    claimRoute.POST,
    new Request("http://x/api/provision/claim", json(body, { "x-osiris-client-ip": ip })),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function validate(code: string, ip = "203.0.113.7") {
  const res = await callRoute(
    validateRoute.GET,
    new Request(`http://x/api/provision/validate/${code}`, { headers: { "x-osiris-client-ip": ip } }),
    { code },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function claimBody(code: string, overrides: Record<string, unknown> = {}) {
  return {
    provision_code: code,
    mac_address: randomMac(),
    hostname: "osiriscare-appliance",
    api_key: apiKey(),
    ...overrides,
  };
}

async function provisioned() {
  const partner = await makePartner();
  const { body: created } = await createCode(partner.apiToken);
  const key = apiKey();
  const { body } = await claim(claimBody(String(created.code), { api_key: key }));
  return { partner, key, claim: ClaimResponse.parse(body) };
}

describe("partner provision codes (REST)", () => {
  it("creates a 16-character code shown once, stored only as a keyed hash", async () => {
    const a = await makePartner();
    const { status, body } = await createCode(a.apiToken, { client_name: "Smith Family Clinic", ttl_seconds: 3600 });
    expect(status).toBe(201);
    const created = ProvisionCodeCreated.parse(body);
    expect(created.code).toMatch(/^[A-Z0-9]{16}$/);
    expect(new Date(created.expires_at).getTime() - Date.now()).toBeGreaterThan(3500_000);
    const [row] = await db().$queryRaw<
      Array<{ row: string }>
    >`SELECT row_to_json(p)::text AS row FROM provision_codes p WHERE id = ${created.id}`;
    expect(row?.row).not.toContain(created.code);
    expect(row?.row).not.toContain(created.code.slice(4));

    const list = await callRoute(
      codesRoute.GET,
      new Request("http://x/api/partners/me/provision-codes", { headers: { authorization: `Bearer ${a.apiToken}` } }),
    );
    const text = await list.text();
    expect(text).not.toContain(created.code);
    const listed = (JSON.parse(text) as { provision_codes: Array<Record<string, unknown>> }).provision_codes;
    expect(listed).toEqual([
      expect.objectContaining({ id: created.id, status: "pending", code_prefix: created.code.slice(0, 4) }),
    ]);
  });

  it("validates lifetimes and names with readable 400s", async () => {
    const a = await makePartner();
    for (const [body, message] of [
      [{ client_name: "" }, /client_name: must not be empty/],
      [{ client_name: "X", ttl_seconds: 0 }, /ttl_seconds: must be at least 1 second/],
      [{ client_name: "X", ttl_seconds: 31 * 24 * 3600 }, /ttl_seconds: must be at most 30 days/],
      [{ client_name: "X", ttl_seconds: 1.5 }, /ttl_seconds: must be a whole number/],
    ] as const) {
      const { status, body: res } = await createCode(a.apiToken, body);
      expect(status).toBe(400);
      expect(String(res.error)).toMatch(message);
    }
  });

  it("keeps tenants apart: another partner can neither see, revoke nor reuse a site", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const { body } = await createCode(a.apiToken);
    const { claim: claimed } = await provisioned();
    const bList = await callRoute(
      codesRoute.GET,
      new Request("http://x/", { headers: { authorization: `Bearer ${b.apiToken}` } }),
    );
    expect(((await bList.json()) as { provision_codes: unknown[] }).provision_codes).toEqual([]);

    const del = await callRoute(
      codeRoute.DELETE,
      new Request("http://x/", { method: "DELETE", headers: { authorization: `Bearer ${b.apiToken}` } }),
      { id: String(body.id) },
    );
    expect(del.status).toBe(404);
    expect((await validate(String(body.code))).status).toBe(200); // still claimable: B's DELETE changed nothing

    const foreignSite = await createCode(b.apiToken, { client_name: "Sneaky", site_id: claimed.site_id });
    expect(foreignSite.status).toBe(404);
  });
});

describe("validate and claim", () => {
  it("validate answers branding only", async () => {
    const a = await makePartner("#2563eb");
    const { body } = await createCode(a.apiToken);
    const { status, body: res } = await validate(String(body.code));
    expect(status).toBe(200);
    expect(ValidateResponse.strict().parse(res)).toEqual({
      valid: true,
      partner: { brand_name: a.partner.brandName, primary_color: "#2563EB" },
      expires_at: body.expires_at,
    });
  });

  it("the first claim creates the site and answers exactly the seed's claim response", async () => {
    const a = await makePartner();
    const { body: created } = await createCode(a.apiToken, { client_name: "Smith Family Clinic" });
    const key = apiKey();
    const { status, body } = await claim(
      claimBody(String(created.code), { mac_address: "84:3a:5b:91:b6:61", api_key: key }),
    );
    expect(status).toBe(200);
    const res = ClaimResponse.strict().parse(body);
    expect(res.site_id).toMatch(new RegExp(`^${a.partner.slug}-smith-family-clinic-[a-z0-9]{6}$`));
    expect(res.appliance_id).toBe(`${res.site_id}-84:3A:5B:91:B6:61`);
    expect(res.partner).toEqual({ slug: a.partner.slug, brand_name: a.partner.brandName, primary_color: "#2563EB" });
    expect(res.api_endpoint).toBe(testEnv.PUBLIC_URL);
    expect(JSON.stringify(body)).not.toContain(key);

    const site = await db().site.findUniqueOrThrow({ where: { id: res.site_id } });
    expect(site).toMatchObject({ partnerId: a.partner.id, clientName: "Smith Family Clinic" });
    const appliance = await db().appliance.findUniqueOrThrow({ where: { id: res.appliance_id } });
    expect(appliance).toMatchObject({
      macAddress: "84:3A:5B:91:B6:61",
      status: "provisioning",
      provisionStatus: "claimed",
    });
    expect(appliance.apiKeyHash).not.toContain(key);
    expect(appliance.apiKeyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a code for an existing site adds a second appliance to it", async () => {
    const { partner, claim: first } = await provisioned();
    const { body: created } = await createCode(partner.apiToken, { client_name: "ignored", site_id: first.site_id });
    expect(created.site_id).toBe(first.site_id);
    const { body } = await claim(claimBody(String(created.code), { mac_address: "02:00:00:00:00:02" }));
    const second = ClaimResponse.parse(body);
    expect(second.site_id).toBe(first.site_id);
    expect(await db().appliance.count({ where: { siteId: first.site_id } })).toBe(2);
    expect(await db().site.count({ where: { partnerId: partner.partner.id } })).toBe(1);
  });

  it("answers the seed's errors: invalid 404, claimed 409, expired 410, revoked 410", async () => {
    const a = await makePartner();
    expect(await claim(claimBody("ZZZZZZZZZZZZZZZZ"))).toMatchObject({
      status: 404,
      body: { error: "Invalid provision code" },
    });
    expect(await validate("ZZZZZZZZZZZZZZZZ")).toMatchObject({
      status: 404,
      body: { error: "Invalid provision code" },
    });

    const { body: c1 } = await createCode(a.apiToken);
    expect((await claim(claimBody(String(c1.code)))).status).toBe(200);
    expect(await claim(claimBody(String(c1.code)))).toMatchObject({
      status: 409,
      body: { error: "Code already claimed" },
    });
    expect(await validate(String(c1.code))).toMatchObject({ status: 409, body: { error: "Code already claimed" } });

    const { body: c2 } = await createCode(a.apiToken);
    await db().provisionCode.update({ where: { id: String(c2.id) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await claim(claimBody(String(c2.code)))).toMatchObject({
      status: 410,
      body: { error: "Provision code expired" },
    });
    expect(await validate(String(c2.code))).toMatchObject({ status: 410, body: { error: "Provision code expired" } });

    const { body: c3 } = await createCode(a.apiToken);
    const del = await callRoute(
      codeRoute.DELETE,
      new Request("http://x/", { method: "DELETE", headers: { authorization: `Bearer ${a.apiToken}` } }),
      { id: String(c3.id) },
    );
    expect(await del.json()).toMatchObject({ id: c3.id, status: "revoked" });
    expect(await claim(claimBody(String(c3.code)))).toMatchObject({
      status: 410,
      body: { error: "Provision code expired" },
    });

    const revokeClaimed = await callRoute(
      codeRoute.DELETE,
      new Request("http://x/", { method: "DELETE", headers: { authorization: `Bearer ${a.apiToken}` } }),
      { id: String(c1.id) },
    );
    expect(revokeClaimed.status).toBe(409);
  });

  it("rejects malformed claims with 400", async () => {
    const a = await makePartner();
    const { body } = await createCode(a.apiToken);
    const code = String(body.code);
    expect((await claim("not json")).status).toBe(400);
    expect((await claim("[1]")).body).toEqual({ error: "Request body must be a JSON object." });
    expect((await claim(claimBody(code.toLowerCase()))).status).toBe(400);
    expect((await claim(claimBody(code, { mac_address: "nope" }))).body.error).toMatch(/mac_address/);
    expect((await claim(claimBody(code, { api_key: "short" }))).body.error).toMatch(/api_key/);
    expect((await claim(claimBody(code, { public_key: "bad" }))).body.error).toMatch(/public_key/);
    expect((await validate("abc")).status).toBe(400);
    expect((await validate(code)).status).toBe(200); // none of that used the code up
  });

  it("is atomic: 50 concurrent claims of one code give exactly one 200", async () => {
    const a = await makePartner();
    const { body } = await createCode(a.apiToken);
    const results = await Promise.all(Array.from({ length: 50 }, () => claim(claimBody(String(body.code)))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = ClaimResponse.parse(results.find((r) => r.status === 200)?.body);
    expect(await db().appliance.count({ where: { siteId: winner.site_id } })).toBe(1);
    expect(await db().site.count({ where: { partnerId: a.partner.id } })).toBe(1);
    const audits = await db().auditEvent.findMany({ where: { action: "provision.claim", partnerId: a.partner.id } });
    expect(audits).toHaveLength(50);
    expect(
      audits.filter((e) => (e.metadata as { result: string }).result === "claimed" && e.actorType === "appliance"),
    ).toHaveLength(1);
    expect(audits.every((e) => e.ip === "203.0.113.7")).toBe(true);
  });

  it("rate-limits guessing per IP: after 20 invalid codes in the window, 429 with Retry-After", async () => {
    const a = await makePartner();
    const { body } = await createCode(a.apiToken);
    const guesser = "198.51.100.20";
    for (let i = 0; i < 20; i++)
      expect((await claim(claimBody(`GUESS${String(i).padStart(11, "0")}`), guesser)).status).toBe(404);
    const blocked = await claim(claimBody(String(body.code)), guesser);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(String(blocked.body.error)).toMatch(/Try again in \d+ seconds/);
    expect((await validate(String(body.code), guesser)).status).toBe(429);
    // Another address is unaffected, and the code was not used up.
    expect((await claim(claimBody(String(body.code)), "198.51.100.21")).status).toBe(200);
  });

  it("does not count malformed requests, 409 or 410 toward the limit", async () => {
    const a = await makePartner();
    const { body: used } = await createCode(a.apiToken);
    await claim(claimBody(String(used.code)), "198.51.100.99");
    const ip = "198.51.100.30";
    for (let i = 0; i < 25; i++) {
      expect((await claim(claimBody("bad"), ip)).status).toBe(400);
      expect((await claim(claimBody(String(used.code)), ip)).status).toBe(409);
    }
    const { body: fresh } = await createCode(a.apiToken);
    expect((await claim(claimBody(String(fresh.code)), ip)).status).toBe(200);
  });
});

describe("appliance-key endpoints", () => {
  const post = (handler: typeof statusRoute.POST, body: unknown, key?: string) =>
    callRoute(handler, new Request("http://x/", json(body, key ? { authorization: `Bearer ${key}` } : {})));

  it("status and heartbeat accept only the key's own appliance", async () => {
    const { key, claim: mine } = await provisioned();
    const { claim: theirs } = await provisioned();

    const ok = await post(
      statusRoute.POST,
      { appliance_id: mine.appliance_id, status: "configuring", progress: 40, message: "Writing config" },
      key,
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ok" });
    expect(await db().appliance.findUniqueOrThrow({ where: { id: mine.appliance_id } })).toMatchObject({
      provisionStatus: "configuring",
      provisionProgress: 40,
      provisionMessage: "Writing config",
    });
    await post(statusRoute.POST, { appliance_id: mine.appliance_id, status: "ready" }, key);
    expect(await db().appliance.findUniqueOrThrow({ where: { id: mine.appliance_id } })).toMatchObject({
      status: "online",
      provisionProgress: 100,
    });

    expect((await post(statusRoute.POST, { appliance_id: theirs.appliance_id, status: "ready" }, key)).status).toBe(
      403,
    );
    expect((await post(heartbeatRoute.POST, { appliance_id: theirs.appliance_id }, key)).status).toBe(403);
    expect((await post(heartbeatRoute.POST, { appliance_id: mine.appliance_id }, key)).status).toBe(200);
    expect((await post(heartbeatRoute.POST, { appliance_id: mine.appliance_id })).status).toBe(401);
    expect((await post(heartbeatRoute.POST, { appliance_id: mine.appliance_id }, apiKey())).status).toBe(401);
    expect((await post(heartbeatRoute.POST, {}, key)).status).toBe(400);
    expect((await post(heartbeatRoute.POST, "[]", key)).status).toBe(400);
    expect((await post(statusRoute.POST, { appliance_id: mine.appliance_id, status: "done" }, key)).status).toBe(400);
    expect(
      (await post(statusRoute.POST, { appliance_id: mine.appliance_id, status: "ready", progress: 101 }, key)).status,
    ).toBe(400);
    expect(await db().appliance.findUniqueOrThrow({ where: { id: theirs.appliance_id } })).toMatchObject({
      status: "provisioning",
    });
  });

  it("config answers the appliance's own configuration, never its key, and refuses others", async () => {
    const { key, claim: mine } = await provisioned();
    const { claim: theirs } = await provisioned();
    const get = (id: string, k?: string) =>
      callRoute(
        configRoute.GET,
        new Request(`http://x/api/provision/config/${encodeURIComponent(id)}`, {
          headers: k ? { authorization: `Bearer ${k}` } : {},
        }),
        {
          applianceId: encodeURIComponent(id),
        },
      );
    const res = await get(mine.appliance_id, key);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(key);
    expect(JSON.parse(text)).toMatchObject({
      site_id: mine.site_id,
      appliance_id: mine.appliance_id,
      api_endpoint: testEnv.PUBLIC_URL,
      poll_interval: 60,
      partner: mine.partner,
    });
    expect((await get(theirs.appliance_id, key)).status).toBe(403);
    expect((await get(mine.appliance_id)).status).toBe(401);
    expect((await get(mine.appliance_id, apiKey())).status).toBe(401);
  });
});
