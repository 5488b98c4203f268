/**
 * Partner API tokens over REST: scopes (a read token may only GET; the check lives in route(), so the
 * walk below covers every partner route, including ones added later), create/list/revoke, 401 at once
 * after a revoke or an expiry, tenancy, last-used time and audit events.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as tokenRoute from "@/app/api/partners/me/api-tokens/[id]/route";
import * as tokensRoute from "@/app/api/partners/me/api-tokens/route";
import * as meRoute from "@/app/api/partners/me/route";
import { db, disconnectDb } from "@/server/db";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { createProvisionCode } from "@/server/domain/provisioning/partner-codes";
import { createPartnerApiToken } from "@/server/domain/tokens/partner-api-tokens";
import type { RouteHandler } from "@/server/http/route";
import { closeRedis } from "@/server/redis";
import { callRoute, makePartner, makeSiteWithAppliance } from "../support/factories";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

const root = path.resolve(import.meta.dirname, "../..");
const PARTNER_API = "app/api/partners/me";
const system = { actorType: "system" as const };

type Json = Record<string, unknown>;

async function call(
  handler: RouteHandler,
  method: string,
  token: string | null,
  params: Record<string, string> = {},
  body?: unknown,
) {
  const res = await callRoute(
    handler,
    new Request("http://x/api/partners/me", {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    params,
  );
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

function routeFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return routeFiles(rel);
    return name === "route.ts" ? [rel] : [];
  });
}

/** A partner with one of everything, and a read token and a full token. */
async function world() {
  const p = await makePartner();
  const { siteId, appliance } = await makeSiteWithAppliance(p.partner.id);
  const credential = await createSiteCredential(
    db(),
    p.partner.id,
    siteId,
    {
      credential_type: "winrm",
      credential_name: "DC",
      host: "dc01.clinic.local",
      username: "svc",
      password: "Winter2026!x",
      use_ssl: false,
    },
    system,
  );
  const code = await createProvisionCode(db(), p.partner.id, { client_name: "Clinic" }, system);
  const read = await createPartnerApiToken(db(), p.partner.id, { name: "dashboards", scope: "read" }, system);
  const full = await createPartnerApiToken(db(), p.partner.id, { name: "automation", scope: "full" }, system);
  return { p, siteId, appliance, credential, code, read, full };
}

describe("token scopes on every partner REST route", () => {
  it("a read token gets 403 on every state-changing method and nothing changes; GETs answer 200", async () => {
    const w = await world();
    const values: Record<string, string> = {
      siteId: w.siteId,
      credentialId: w.credential.id,
      applianceId: w.appliance.id,
      // [id] is a provision code under provision-codes/, a token under api-tokens/, a user under users/.
      id: "",
    };
    const refused: string[] = [];
    const read: string[] = [];
    for (const file of routeFiles(PARTNER_API)) {
      const names = [...file.matchAll(/\[(\w+)\]/g)].map((m) => m[1] ?? "");
      const params: Record<string, string> = {};
      for (const n of names) {
        const v =
          n === "id"
            ? file.includes("api-tokens")
              ? w.full.id
              : file.includes("users")
                ? w.p.user.id
                : w.code.id
            : values[n];
        expect(v, `no test value for [${n}] in ${file}: add one`).toBeTruthy();
        params[n] = v ?? "";
      }
      const mod = (await import(/* @vite-ignore */ `@/${file.replace(/\.ts$/, "")}`)) as Record<string, RouteHandler>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const handler = mod[method];
        if (!handler) continue;
        const res = await call(handler, method, w.read.token, params, method === "GET" ? undefined : {});
        if (res.status === 405) continue;
        if (method === "GET") {
          expect(res.status, `${method} ${file}`).toBe(200);
          read.push(`${method} ${file}`);
        } else {
          expect(res.status, `${method} ${file}`).toBe(403);
          expect(res.body.error).toMatch(/read-only/);
          refused.push(`${method} ${file}`);
        }
      }
    }
    // The walk found the routes this feature is about (fails if the walk itself breaks).
    expect(refused).toEqual(
      expect.arrayContaining([
        "POST app/api/partners/me/api-tokens/route.ts",
        "DELETE app/api/partners/me/api-tokens/[id]/route.ts",
        "POST app/api/partners/me/appliances/[applianceId]/revoke/route.ts",
        "POST app/api/partners/me/provision-codes/route.ts",
        "DELETE app/api/partners/me/provision-codes/[id]/route.ts",
        "POST app/api/partners/me/sites/[siteId]/credentials/route.ts",
        "PATCH app/api/partners/me/sites/[siteId]/credentials/[credentialId]/route.ts",
        "DELETE app/api/partners/me/sites/[siteId]/credentials/[credentialId]/route.ts",
        "POST app/api/partners/me/users/route.ts",
        "PATCH app/api/partners/me/users/[id]/route.ts",
        "DELETE app/api/partners/me/users/[id]/route.ts",
      ]),
    );
    expect(read).toEqual(
      expect.arrayContaining(["GET app/api/partners/me/api-tokens/route.ts", "GET app/api/partners/me/users/route.ts"]),
    );

    // Nothing changed.
    expect((await db().appliance.findUniqueOrThrow({ where: { id: w.appliance.id } })).revokedAt).toBeNull();
    expect(await db().siteCredential.count({ where: { siteId: w.siteId } })).toBe(1);
    expect((await db().provisionCode.findUniqueOrThrow({ where: { id: w.code.id } })).revokedAt).toBeNull();
    expect((await db().partnerApiToken.findUniqueOrThrow({ where: { id: w.full.id } })).revokedAt).toBeNull();
    expect(await db().partnerApiToken.count({ where: { partnerId: w.p.partner.id } })).toBe(3);
    expect(await db().user.count({ where: { partnerId: w.p.partner.id } })).toBe(1);
  });

  it("a full token may change state (here: create a credential)", async () => {
    const w = await world();
    const credsRoute = await import("@/app/api/partners/me/sites/[siteId]/credentials/route");
    const res = await call(
      credsRoute.POST,
      "POST",
      w.full.token,
      { siteId: w.siteId },
      {
        credential_type: "winrm",
        credential_name: "FS",
        host: "fs01.clinic.local",
        username: "svc",
        password: "Winter2026!y",
      },
    );
    expect(res.status).toBe(201);
  });

  it("the token printed at partner creation is full", async () => {
    const p = await makePartner();
    const row = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: p.partner.id } });
    expect(row.scope).toBe("full");
    const res = await call(tokensRoute.POST, "POST", p.apiToken, {}, { name: "x", scope: "read" });
    expect(res.status).toBe(201);
  });
});

describe("/api/partners/me/api-tokens", () => {
  it("creates a token shown once, lists it without the token, and the new token works", async () => {
    const p = await makePartner();
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const created = await call(
      tokensRoute.POST,
      "POST",
      p.apiToken,
      {},
      {
        name: "Grafana",
        scope: "read",
        expires_at: expires,
      },
    );
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(["expires_at", "id", "name", "scope", "token"]);
    expect(created.body).toMatchObject({ name: "Grafana", scope: "read", expires_at: expires });
    const token = String(created.body.token);
    expect(token).toMatch(/^occ_pat_/);

    const list = await call(tokensRoute.GET, "GET", token);
    expect(list.status).toBe(200);
    const rows = list.body.api_tokens as Json[];
    expect(rows.map((r) => r.name)).toEqual(["Grafana", "initial"]);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(
      ["created_at", "expires_at", "id", "last_used_at", "name", "prefix", "revoked_at", "scope"].sort(),
    );
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(token.startsWith(String(rows[0]?.prefix))).toBe(true);
    expect(rows[0]?.last_used_at).not.toBeNull(); // the GET just used it

    const audit = await db().auditEvent.findFirstOrThrow({
      where: { partnerId: p.partner.id, action: "api_token.created", targetId: String(created.body.id) },
    });
    expect(audit.actorType).toBe("partner_token");
    expect(JSON.stringify(audit.metadata)).not.toContain(token);
  });

  it("rejects a bad body with a readable 400", async () => {
    const p = await makePartner();
    const bad = await call(tokensRoute.POST, "POST", p.apiToken, {}, { name: "x", scope: "admin" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/scope/);
    const past = await call(
      tokensRoute.POST,
      "POST",
      p.apiToken,
      {},
      {
        name: "x",
        scope: "read",
        expires_at: "2020-01-01T00:00:00Z",
      },
    );
    expect(past.status).toBe(400);
    expect(past.body.error).toMatch(/future/);
  });

  it("a revoked token answers 401 on its very next request; revoking again is 200 with one audit event", async () => {
    const p = await makePartner();
    const victim = await createPartnerApiToken(db(), p.partner.id, { name: "leaked", scope: "full" }, system);
    expect((await call(meRoute.GET, "GET", victim.token)).status).toBe(200);

    const revoked = await call(tokenRoute.DELETE, "DELETE", p.apiToken, { id: victim.id });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: victim.id, name: "leaked" });
    expect(revoked.body.revoked_at).toEqual(expect.any(String));

    const after = await call(meRoute.GET, "GET", victim.token);
    expect(after.status).toBe(401);
    expect(after.body.error).toMatch(/revoked or expired/);

    const again = await call(tokenRoute.DELETE, "DELETE", p.apiToken, { id: victim.id });
    expect(again.status).toBe(200);
    expect(again.body.revoked_at).toBe(revoked.body.revoked_at);
    expect(
      await db().auditEvent.count({
        where: { partnerId: p.partner.id, action: "api_token.revoked", targetId: victim.id },
      }),
    ).toBe(1);
  });

  it("a token can revoke itself, and is refused from then on", async () => {
    const p = await makePartner();
    const self = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: p.partner.id } });
    expect((await call(tokenRoute.DELETE, "DELETE", p.apiToken, { id: self.id })).status).toBe(200);
    expect((await call(tokensRoute.GET, "GET", p.apiToken)).status).toBe(401);
  });

  it("an expired token answers 401", async () => {
    const p = await makePartner();
    const t = await createPartnerApiToken(
      db(),
      p.partner.id,
      { name: "short", scope: "full", expires_at: new Date(Date.now() + 60_000).toISOString() },
      system,
    );
    expect((await call(meRoute.GET, "GET", t.token)).status).toBe(200);
    await db().partnerApiToken.update({ where: { id: t.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const res = await call(meRoute.GET, "GET", t.token);
    expect(res.status).toBe(401);
  });

  it("another partner's token id is 404 and stays live; lists are per partner", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const bToken = await createPartnerApiToken(db(), b.partner.id, { name: "b-only", scope: "read" }, system);
    const res = await call(tokenRoute.DELETE, "DELETE", a.apiToken, { id: bToken.id });
    expect(res.status).toBe(404);
    expect((await call(meRoute.GET, "GET", bToken.token)).status).toBe(200);
    const listA = await call(tokensRoute.GET, "GET", a.apiToken);
    expect((listA.body.api_tokens as Json[]).map((t) => t.name)).toEqual(["initial"]);
  });

  it("writes last_used_at at most once a minute", async () => {
    const p = await makePartner();
    const row = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: p.partner.id } });
    const earlier = new Date(Date.now() - 30_000);
    await db().partnerApiToken.update({ where: { id: row.id }, data: { lastUsedAt: earlier } });
    await call(meRoute.GET, "GET", p.apiToken);
    const unchanged = await db().partnerApiToken.findUniqueOrThrow({ where: { id: row.id } });
    expect(unchanged.lastUsedAt?.getTime()).toBe(earlier.getTime());

    const old = new Date(Date.now() - 120_000);
    await db().partnerApiToken.update({ where: { id: row.id }, data: { lastUsedAt: old } });
    await call(meRoute.GET, "GET", p.apiToken);
    const moved = await db().partnerApiToken.findUniqueOrThrow({ where: { id: row.id } });
    expect(moved.lastUsedAt?.getTime()).toBeGreaterThan(old.getTime());
  });
});
