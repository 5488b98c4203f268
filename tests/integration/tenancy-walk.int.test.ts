/**
 * Tenancy is law: every REST route (found by walking app/**\/route.ts) and every tRPC procedure (found by
 * walking the router), called by another partner (or another appliance) with partner A's ids, is refused
 * (403/404) or shows none of A's data. A route, method or procedure added without a case here fails the
 * first two tests, so nobody can add one and forget tenancy.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { authenticateAppliance } from "@/server/domain/appliances/authenticate-appliance";
import { recordAuditEvent } from "@/server/domain/audit/record-audit-event";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { receiveScanResults } from "@/server/domain/compliance/receive-scan-results";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { setDomainCredential } from "@/server/domain/directory/domain-credential";
import { notifyPartner } from "@/server/domain/notifications/notify-partner";
import { createProvisionCode } from "@/server/domain/provisioning/partner-codes";
import { inviteUser } from "@/server/domain/users/invite-user";
import { closeRedis } from "@/server/redis";
import { callerFor, callRoute, makeApplianceWithKey, makePartner, sessionUser } from "../support/factories";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type RouteModule = Record<Method, Parameters<typeof callRoute>[0]>;
type Fixtures = Awaited<ReturnType<typeof setup>>;

const APP = path.resolve(import.meta.dirname, "../../app");

/** Every route.ts under app/, as its path relative to app/ ("api/partners/me/route.ts"). */
function routeFiles(dir = APP): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [path.relative(APP, full)] : [];
  });
}

/** The methods a route file really implements: keys of its methods({...}) or its `handler as X` exports. */
function implementedMethods(file: string): Method[] {
  const src = readFileSync(path.join(APP, file), "utf8");
  const found = new Set<Method>();
  for (const m of src.matchAll(/^\s*(GET|POST|PUT|PATCH|DELETE):/gm)) found.add(m[1] as Method);
  if (!src.includes("methods("))
    for (const m of src.matchAll(/\bas (GET|POST|PUT|PATCH|DELETE)\b/g)) found.add(m[1] as Method);
  return [...found].sort();
}

async function setup() {
  const a = await makePartner();
  const b = await makePartner();
  const applianceA = await makeApplianceWithKey(a.partner.id);
  const applianceB = await makeApplianceWithKey(b.partner.id);
  const actor = { actorType: "system" as const };
  const credential = await createSiteCredential(
    db(),
    a.partner.id,
    applianceA.siteId,
    { credential_type: "winrm", credential_name: "fs01", host: "fs01.a.local", username: "svc", password: "A-only!" },
    actor,
  );
  const code = await createProvisionCode(db(), a.partner.id, { client_name: "A clinic" }, actor);
  const domainCredential = await setDomainCredential(
    db(),
    a.partner.id,
    applianceA.siteId,
    { domain: "a.test", username: "a-admin", password: "A-domain-only!" },
    actor,
  );
  const targetA = await db().windowsTarget.create({
    data: { siteId: applianceA.siteId, hostname: "planted.a.test", domain: "a.test", approval: "awaiting_approval" },
  });
  await db().workstation.create({ data: { siteId: applianceA.siteId, hostname: "ws-a.a.test", domain: "a.test" } });
  // A's compliance: one failing result of its manual target (a drift once it fails after passing).
  const principalA = await authenticateAppliance(db(), `Bearer ${applianceA.apiKey}`);
  for (const [i, status] of (["pass", "fail"] as const).entries()) {
    await receiveScanResults(db(), principalA, {
      appliance_id: applianceA.applianceId,
      batch_id: `a-${i}`,
      results: [
        {
          hostname: "fs01.a.local",
          check: "firewall",
          status,
          observed: status,
          expected: "pass",
          checked_at: new Date(Date.now() - (2 - i) * 60_000).toISOString(),
        },
      ],
    });
  }
  await notifyPartner(db(), a.partner.id, {
    siteId: applianceA.siteId,
    applianceId: applianceA.applianceId,
    kind: "test",
    title: "A's alert",
    body: "for A only",
  });
  const dcCertificateA = { hostname: "dc1.a.test", fingerprint: "AB:".repeat(31).concat("CD") };
  await db().domainControllerCertificate.create({
    data: {
      siteId: applianceA.siteId,
      domain: "a.test",
      hostname: dcCertificateA.hostname,
      fingerprint: dcCertificateA.fingerprint,
      subject: "CN=dc1.a.test",
      issuer: "CN=A CA",
    },
  });
  const tokenA = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: a.partner.id } });
  await recordAuditEvent(db(), {
    action: "user.signed_in",
    actorType: "user",
    actorId: a.user.id,
    partnerId: a.partner.id,
    ip: "203.0.113.9",
  });
  const invitedA = await inviteUser(
    db(),
    a.partner.id,
    { email: `invited-${a.partner.slug}@example.test`, name: "A's invitee", role: "partner_technician" },
    actor,
  );
  const inviteA = await db().userInvite.findFirstOrThrow({ where: { userId: invitedA.user.id } });
  return {
    a,
    b,
    applianceA,
    applianceB,
    credential,
    code,
    tokenA,
    domainCredential,
    targetA,
    invitedA,
    inviteA,
    dcCertificateA,
  };
}

/** A's users are exactly as set up: A's admin still an admin, A's invitee still there with an unused link. */
async function expectUsersOfAIntact(f: Fixtures) {
  expect((await db().user.findUniqueOrThrow({ where: { id: f.a.user.id } })).role).toBe("partner_admin");
  const invitee = await db().user.findUniqueOrThrow({ where: { id: f.invitedA.user.id } });
  expect(invitee.role).toBe("partner_technician");
  const link = await db().userInvite.findUniqueOrThrow({ where: { id: f.inviteA.id } });
  expect([link.usedAt, link.supersededAt]).toEqual([null, null]);
}

async function request(
  mod: RouteModule,
  method: Method,
  urlPath: string,
  auth: string,
  params: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const res = await callRoute(
    mod[method],
    new Request(`http://x${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    params,
  );
  return { status: res.status, text: await res.text() };
}

const refused = (r: { status: number }) => expect([403, 404]).toContain(r.status);
const load = (file: string) => import(/* @vite-ignore */ path.join(APP, file)) as Promise<RouteModule>;

type RouteCase = ((f: Fixtures, mod: RouteModule) => Promise<void>) | { exempt: string };

/** One entry per route file and implemented method. Partner B (a full token) or appliance B calls with A's ids. */
const ROUTES: Record<string, Partial<Record<Method, RouteCase>>> = {
  "admin/queues/[[...path]]/route.ts": Object.fromEntries(
    (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((m) => [
      m,
      { exempt: "platform admins only (tests/integration/health.int.test.ts and e2e check 401/403); no tenant ids" },
    ]),
  ),
  "api/[...path]/route.ts": Object.fromEntries(
    (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((m) => [m, { exempt: "answers 404 to everything" }]),
  ),
  "api/auth/[...all]/route.ts": {
    GET: { exempt: "better-auth sign-in/session: acts on the caller's own session only" },
    POST: { exempt: "better-auth sign-in/session: acts on the caller's own session only" },
  },
  "api/health/route.ts": { GET: { exempt: "public, no tenant data" } },
  "api/provision/claim/route.ts": { POST: { exempt: "the provision code is the credential and names one partner" } },
  "api/provision/validate/[code]/route.ts": { GET: { exempt: "the provision code is the credential" } },
  "api/trpc/[trpc]/route.ts": {
    GET: { exempt: "every procedure is walked below" },
    POST: { exempt: "every procedure is walked below" },
  },
  "api/appliances/checkin/route.ts": {
    POST: async (f, mod) =>
      refused(
        await request(
          mod,
          "POST",
          "/api/appliances/checkin",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
          },
        ),
      ),
  },
  "api/appliances/rekey/route.ts": {
    POST: async (f, mod) =>
      refused(
        await request(
          mod,
          "POST",
          "/api/appliances/rekey",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
            api_key: "k".repeat(32),
            public_key: `${"A".repeat(43)}=`,
          },
        ),
      ),
  },
  "api/provision/config/[applianceId]/route.ts": {
    GET: async (f, mod) =>
      refused(
        await request(mod, "GET", `/api/provision/config/${f.applianceA.applianceId}`, f.applianceB.apiKey, {
          applianceId: f.applianceA.applianceId,
        }),
      ),
  },
  "api/provision/heartbeat/route.ts": {
    POST: async (f, mod) =>
      refused(
        await request(
          mod,
          "POST",
          "/api/provision/heartbeat",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
          },
        ),
      ),
  },
  "api/provision/status/route.ts": {
    POST: async (f, mod) =>
      refused(
        await request(
          mod,
          "POST",
          "/api/provision/status",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
            status: "ready",
          },
        ),
      ),
  },
  "api/partners/me/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/api/partners/me", f.b.apiToken);
      expect(JSON.parse(r.text).slug).toBe(f.b.partner.slug);
    },
  },
  "api/partners/me/provision-codes/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/api/partners/me/provision-codes", f.b.apiToken);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(f.code.id);
    },
    POST: async (f, mod) =>
      refused(
        await request(
          mod,
          "POST",
          "/api/partners/me/provision-codes",
          f.b.apiToken,
          {},
          {
            client_name: "x",
            site_id: f.applianceA.siteId,
          },
        ),
      ),
  },
  "api/partners/me/provision-codes/[id]/route.ts": {
    DELETE: async (f, mod) =>
      refused(
        await request(mod, "DELETE", `/api/partners/me/provision-codes/${f.code.id}`, f.b.apiToken, { id: f.code.id }),
      ),
  },
  "api/partners/me/api-tokens/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/api/partners/me/api-tokens", f.b.apiToken);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(f.tokenA.id);
    },
    POST: async (f, mod) => {
      // Creates a token for the caller's own partner only (there is no partner id to pass).
      const r = await request(
        mod,
        "POST",
        "/api/partners/me/api-tokens",
        f.b.apiToken,
        {},
        { name: "b", scope: "read" },
      );
      expect(r.status).toBe(201);
      const row = await db().partnerApiToken.findUniqueOrThrow({ where: { id: JSON.parse(r.text).id } });
      expect(row.partnerId).toBe(f.b.partner.id);
    },
  },
  "api/partners/me/api-tokens/[id]/route.ts": {
    DELETE: async (f, mod) => {
      refused(await request(mod, "DELETE", "/", f.b.apiToken, { id: f.tokenA.id }));
      expect((await db().partnerApiToken.findUniqueOrThrow({ where: { id: f.tokenA.id } })).revokedAt).toBeNull();
    },
  },
  "api/partners/me/activity/route.ts": {
    GET: async (f, mod) => {
      // No partner id to pass: B's log, even when B filters by A's admin or A's names.
      for (const query of ["", `?actor=${f.a.user.id}`, "?q=fs01", "?q=203.0.113.9"]) {
        const r = await request(mod, "GET", `/api/partners/me/activity${query}`, f.b.apiToken);
        expect(r.status).toBe(200);
        for (const a of [f.a.user.id, f.credential.id, "fs01", "A clinic", "203.0.113.9"])
          expect(r.text).not.toContain(a);
      }
    },
  },
  "api/partners/me/activity.csv/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", `/api/partners/me/activity.csv?actor=${f.a.user.id}`, f.b.apiToken);
      expect(r.status).toBe(200);
      expect(r.text.trim().split("\r\n")).toHaveLength(1); // the header only
      const all = await request(mod, "GET", "/api/partners/me/activity.csv", f.b.apiToken);
      for (const a of [f.a.user.id, "fs01", "A clinic", "203.0.113.9"]) expect(all.text).not.toContain(a);
    },
  },
  "api/partners/me/users/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", `/api/partners/me/users?q=${encodeURIComponent(f.a.email)}`, f.b.apiToken);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).total).toBe(0);
      const all = await request(mod, "GET", "/api/partners/me/users", f.b.apiToken);
      expect(all.text).not.toContain(f.a.user.id);
      expect(all.text).not.toContain(f.invitedA.user.id);
    },
    POST: async (f, mod) => {
      // Invites into the caller's own partner only (there is no partner id to pass).
      const r = await request(
        mod,
        "POST",
        "/api/partners/me/users",
        f.b.apiToken,
        {},
        { email: `walk-${f.b.partner.slug}@example.test`, name: "B's own", role: "partner_technician" },
      );
      expect(r.status).toBe(201);
      const row = await db().user.findUniqueOrThrow({ where: { id: JSON.parse(r.text).user.id } });
      expect(row.partnerId).toBe(f.b.partner.id);
    },
  },
  "api/partners/me/users/[id]/route.ts": {
    PATCH: async (f, mod) => {
      for (const id of [f.a.user.id, f.invitedA.user.id]) {
        refused(await request(mod, "PATCH", "/", f.b.apiToken, { id }, { role: "partner_technician" }));
        refused(await request(mod, "PATCH", "/", f.b.apiToken, { id }, { issue_link: true }));
      }
      await expectUsersOfAIntact(f);
    },
    DELETE: async (f, mod) => {
      for (const id of [f.a.user.id, f.invitedA.user.id])
        refused(await request(mod, "DELETE", "/", f.b.apiToken, { id }));
      await expectUsersOfAIntact(f);
    },
  },
  "api/partners/me/users/[id]/reset-password/route.ts": {
    POST: async (f, mod) => {
      for (const id of [f.a.user.id, f.invitedA.user.id])
        refused(await request(mod, "POST", "/", f.b.apiToken, { id }, {}));
      await expectUsersOfAIntact(f);
    },
  },
  "api/partners/me/appliances/[applianceId]/revoke/route.ts": {
    POST: async (f, mod) => {
      refused(await request(mod, "POST", "/", f.b.apiToken, { applianceId: f.applianceA.applianceId }, {}));
      const row = await db().appliance.findUniqueOrThrow({ where: { id: f.applianceA.applianceId } });
      expect(row.revokedAt).toBeNull();
    },
  },
  "api/appliances/domain-discovered/route.ts": {
    POST: async (f, mod) => {
      refused(
        await request(
          mod,
          "POST",
          "/",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
            domain: "a.test",
            domain_controllers: [],
          },
        ),
      );
      expect(await db().discoveredDomain.count({ where: { siteId: f.applianceA.siteId } })).toBe(0);
    },
  },
  "api/appliances/domain-discovery-failed/route.ts": {
    POST: async (f, mod) => {
      refused(
        await request(
          mod,
          "POST",
          "/",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
            searched: ["a.test"],
            error: "x",
          },
        ),
      );
      const a = await db().appliance.findUniqueOrThrow({ where: { id: f.applianceA.applianceId } });
      expect(a.discoveryError).toBeNull();
    },
  },
  "api/appliances/enumeration-results/route.ts": {
    POST: async (f, mod) => {
      refused(
        await request(
          mod,
          "POST",
          "/",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
            domain: "a.test",
            servers: [{ hostname: "evil.a.test", name: "EVIL", enabled: true }],
            workstations: [],
            enumerated_at: new Date().toISOString(),
          },
        ),
      );
      expect(await db().enumerationRun.count({ where: { siteId: f.applianceA.siteId } })).toBe(0);
    },
  },
  "api/appliances/enumeration-failed/route.ts": {
    POST: async (f, mod) => {
      refused(
        await request(
          mod,
          "POST",
          "/",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: f.applianceA.applianceId,
            domain: "a.test",
            error: "x",
          },
        ),
      );
      expect(await db().enumerationRun.count({ where: { siteId: f.applianceA.siteId } })).toBe(0);
    },
  },
  "api/sites/[siteId]/domain-credentials/route.ts": {
    GET: async (f, mod) => {
      // Appliance B and partner B, with A's site id.
      for (const auth of [f.applianceB.apiKey, f.b.apiToken]) {
        const r = await request(mod, "GET", "/", auth, { siteId: f.applianceA.siteId });
        refused(r);
        expect(r.text).not.toContain("A-domain-only!");
        expect(r.text).not.toContain(f.domainCredential.id);
      }
      expect(await db().credentialAccess.count({ where: { applianceId: f.applianceB.applianceId } })).toBe(0);
    },
    POST: async (f, mod) => {
      refused(
        await request(
          mod,
          "POST",
          "/",
          f.b.apiToken,
          { siteId: f.applianceA.siteId },
          {
            domain: "a.test",
            username: "stolen",
            password: "p",
          },
        ),
      );
      const row = await db().siteCredential.findFirstOrThrow({
        where: { siteId: f.applianceA.siteId, credentialType: "domain_admin" },
      });
      expect(row.id).toBe(f.domainCredential.id);
    },
  },
  "api/partners/me/notifications/route.ts": {
    GET: async (f, mod) => {
      // B filtering by A's site, or searching A's words, sees none of A's alerts.
      for (const query of ["", `?site=${f.applianceA.siteId}`, "?q=for%20A%20only", "?read=unread&type=test"]) {
        const r = await request(mod, "GET", `/api/partners/me/notifications${query}`, f.b.apiToken);
        expect(r.status).toBe(200);
        expect(r.text).not.toContain("A's alert");
        expect(r.text).not.toContain(f.applianceA.siteId);
      }
    },
  },
  "api/partners/me/notifications/read/route.ts": {
    POST: async (f, mod) => {
      const mine = await db().notification.findFirstOrThrow({ where: { partnerId: f.a.partner.id } });
      for (const body of [{ ids: [mine.id] }, { all_matching: {} }, { all_matching: { site: f.applianceA.siteId } }]) {
        const r = await request(mod, "POST", "/", f.b.apiToken, {}, body);
        expect(r.status).toBe(200);
      }
      expect((await db().notification.findUniqueOrThrow({ where: { id: mine.id } })).readAt).toBeNull();
    },
  },
  "api/partners/me/appliances/route.ts": {
    GET: async (f, mod) => {
      for (const query of ["", `?site=${f.applianceA.siteId}`, `?q=${encodeURIComponent(f.applianceA.applianceId)}`]) {
        const r = await request(mod, "GET", `/api/partners/me/appliances${query}`, f.b.apiToken);
        expect(r.status).toBe(200);
        expect(r.text).not.toContain(f.applianceA.applianceId);
        expect(r.text).not.toContain(f.applianceA.siteId);
      }
    },
  },
  "api/partners/me/coverage/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/", f.b.apiToken);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(f.applianceA.siteId);
    },
  },
  "api/partners/me/sites/[siteId]/targets/route.ts": {
    GET: async (f, mod) => refused(await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId })),
  },
  "api/partners/me/sites/[siteId]/targets/approve/route.ts": {
    POST: async (f, mod) => {
      // A's target through A's site, and through B's own site.
      for (const siteId of [f.applianceA.siteId, f.applianceB.siteId]) {
        const r = await request(mod, "POST", "/", f.b.apiToken, { siteId }, { target_ids: [f.targetA.id] });
        expect([400, 403, 404]).toContain(r.status);
      }
      refused(await request(mod, "POST", "/", f.b.apiToken, { siteId: f.applianceA.siteId }, { all: true }));
      const t = await db().windowsTarget.findUniqueOrThrow({ where: { id: f.targetA.id } });
      expect(t.approval).toBe("awaiting_approval");
    },
  },
  "api/partners/me/compliance-settings/route.ts": {
    GET: async (f, mod) => {
      await db().partner.update({ where: { id: f.a.partner.id }, data: { rmmAllowList: ["A-only-rmm"] } });
      const r = await request(mod, "GET", "/", f.b.apiToken);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain("A-only-rmm");
    },
    PUT: async (f, mod) => {
      const r = await request(mod, "PUT", "/", f.b.apiToken, {}, { patch_max_age_days: 3 });
      expect(r.status).toBe(200);
      expect((await db().partner.findUniqueOrThrow({ where: { id: f.a.partner.id } })).patchMaxAgeDays).toBe(30);
    },
  },
  "api/partners/me/sites/[siteId]/scan-schedule/route.ts": {
    GET: async (f, mod) => refused(await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId })),
    PUT: async (f, mod) => {
      refused(await request(mod, "PUT", "/", f.b.apiToken, { siteId: f.applianceA.siteId }, { interval_minutes: 15 }));
      expect((await db().site.findUniqueOrThrow({ where: { id: f.applianceA.siteId } })).scanIntervalMinutes).toBe(60);
    },
  },
  "api/appliances/scan-results/route.ts": {
    POST: async (f, mod) => {
      // Appliance B with A's appliance id, and with its own id naming A's target.
      for (const applianceId of [f.applianceA.applianceId, f.applianceB.applianceId]) {
        const r = await request(
          mod,
          "POST",
          "/",
          f.applianceB.apiKey,
          {},
          {
            appliance_id: applianceId,
            batch_id: `walk-${applianceId.length}`,
            results: [
              {
                hostname: "fs01.a.local",
                check: "firewall",
                status: "fail",
                observed: "off",
                expected: "on",
                checked_at: new Date().toISOString(),
              },
            ],
          },
        );
        expect([403, 404, 422]).toContain(r.status);
      }
      expect(await db().complianceResult.count({ where: { siteId: f.applianceA.siteId } })).toBe(2);
      expect(await db().complianceResult.count({ where: { siteId: f.applianceB.siteId } })).toBe(0);
    },
  },
  "api/partners/me/sites/[siteId]/compliance/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId });
      refused(r);
      expect(r.text).not.toContain("fs01.a.local");
    },
  },
  "api/partners/me/sites/[siteId]/compliance.csv/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId });
      refused(r);
      expect(r.text).not.toContain("fs01.a.local");
    },
  },
  "api/partners/me/compliance/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/", f.b.apiToken);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(f.applianceA.siteId);
      expect(r.text).not.toContain("fs01.a.local");
    },
  },
  "api/partners/me/sites/[siteId]/compliance/drift/route.ts": {
    GET: async (f, mod) => {
      const r = await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId });
      refused(r);
      expect(r.text).not.toContain("fs01.a.local");
    },
  },
  "api/partners/me/sites/[siteId]/domain-controllers/route.ts": {
    GET: async (f, mod) => refused(await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId })),
  },
  "api/partners/me/sites/[siteId]/domain-controllers/accept-certificate/route.ts": {
    POST: async (f, mod) => {
      // A's DC certificate through A's site, and through B's own site.
      for (const siteId of [f.applianceA.siteId, f.applianceB.siteId]) {
        refused(await request(mod, "POST", "/", f.b.apiToken, { siteId }, f.dcCertificateA));
      }
      const row = await db().domainControllerCertificate.findFirstOrThrow({ where: { siteId: f.applianceA.siteId } });
      expect(row.status).toBe("pending");
    },
  },
  "api/partners/me/sites/[siteId]/coverage/route.ts": {
    GET: async (f, mod) => refused(await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId })),
  },
  "api/partners/me/sites/[siteId]/credential-access/route.ts": {
    GET: async (f, mod) => refused(await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId })),
  },
  "api/partners/me/sites/[siteId]/credentials/route.ts": {
    GET: async (f, mod) => refused(await request(mod, "GET", "/", f.b.apiToken, { siteId: f.applianceA.siteId })),
    POST: async (f, mod) =>
      refused(
        await request(
          mod,
          "POST",
          "/",
          f.b.apiToken,
          { siteId: f.applianceA.siteId },
          {
            credential_type: "winrm",
            credential_name: "x",
            username: "u",
            password: "p",
          },
        ),
      ),
  },
  "api/partners/me/sites/[siteId]/credentials/[credentialId]/route.ts": {
    PATCH: async (f, mod) => {
      // A's credential through A's site, and through B's own site.
      for (const siteId of [f.applianceA.siteId, f.applianceB.siteId]) {
        refused(
          await request(
            mod,
            "PATCH",
            "/",
            f.b.apiToken,
            { siteId, credentialId: f.credential.id },
            {
              credential_name: "stolen",
            },
          ),
        );
      }
    },
    DELETE: async (f, mod) => {
      for (const siteId of [f.applianceA.siteId, f.applianceB.siteId]) {
        refused(await request(mod, "DELETE", "/", f.b.apiToken, { siteId, credentialId: f.credential.id }));
      }
    },
  },
};

type Caller = ReturnType<typeof callerFor>;
type ProcedureCase = (f: Fixtures, caller: Caller) => Promise<void>;
const rejectsTenancy = (p: Promise<unknown>) =>
  expect(p).rejects.toSatisfy((e: { code?: string }) => e.code === "NOT_FOUND" || e.code === "FORBIDDEN");

/** One entry per tRPC procedure path. The caller is partner B's admin. */
const PROCEDURES: Record<string, ProcedureCase> = {
  "activity.list": async (f, c) => {
    for (const input of [undefined, { actor: f.a.user.id }, { q: "fs01" }]) {
      const page = JSON.stringify(await c.activity.list(input));
      for (const a of [f.a.user.id, f.credential.id, "fs01", "A clinic", "203.0.113.9"]) expect(page).not.toContain(a);
    }
  },
  "activity.signIns": async (f, c) => {
    const page = JSON.stringify(await c.activity.signIns());
    expect(page).not.toContain(f.a.user.id);
    expect(page).not.toContain("203.0.113.9");
  },
  "activity.unlock": async (f, c) => rejectsTenancy(c.activity.unlock({ userId: f.a.user.id })),
  "apiTokens.list": async (f, c) => {
    expect(JSON.stringify(await c.apiTokens.list())).not.toContain(f.tokenA.id);
  },
  "apiTokens.create": async (f, c) => {
    const created = await c.apiTokens.create({ name: "b-own", scope: "read" });
    const row = await db().partnerApiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.partnerId).toBe(f.b.partner.id);
  },
  "apiTokens.revoke": async (f, c) => {
    await rejectsTenancy(c.apiTokens.revoke({ id: f.tokenA.id }));
    expect((await db().partnerApiToken.findUniqueOrThrow({ where: { id: f.tokenA.id } })).revokedAt).toBeNull();
  },
  "users.list": async (f, c) => {
    const page = JSON.stringify(await c.users.list());
    expect(page).not.toContain(f.a.user.id);
    expect(page).not.toContain(f.invitedA.user.id);
    expect((await c.users.list({ search: f.a.email })).total).toBe(0);
  },
  "users.invite": async (f, c) => {
    const issued = await c.users.invite({
      email: `walk-trpc-${f.b.partner.slug}@example.test`,
      name: "B's own",
      role: "partner_technician",
    });
    const row = await db().user.findUniqueOrThrow({ where: { id: issued.user.id } });
    expect(row.partnerId).toBe(f.b.partner.id);
  },
  "users.reissueInvite": async (f, c) => {
    for (const userId of [f.a.user.id, f.invitedA.user.id]) await rejectsTenancy(c.users.reissueInvite({ userId }));
    await expectUsersOfAIntact(f);
  },
  "users.resetPassword": async (f, c) => {
    for (const userId of [f.a.user.id, f.invitedA.user.id]) await rejectsTenancy(c.users.resetPassword({ userId }));
    await expectUsersOfAIntact(f);
  },
  "users.changeRole": async (f, c) => {
    for (const userId of [f.a.user.id, f.invitedA.user.id]) {
      await rejectsTenancy(c.users.changeRole({ userId, role: "partner_admin" }));
      await rejectsTenancy(c.users.changeRole({ userId, role: "partner_technician" }));
    }
    await expectUsersOfAIntact(f);
  },
  "users.remove": async (f, c) => {
    for (const userId of [f.a.user.id, f.invitedA.user.id]) await rejectsTenancy(c.users.remove({ userId }));
    await expectUsersOfAIntact(f);
  },
  // The one-time token is the credential and names its own user; A's link row id is not a token.
  "invites.get": async (f, c) => {
    expect(await c.invites.get({ token: f.inviteA.id })).toMatchObject({ state: "unknown" });
    expect(await c.invites.get({ token: f.inviteA.tokenHash })).toMatchObject({ state: "unknown" });
  },
  "invites.accept": async (f, c) => {
    for (const token of [f.inviteA.id, f.inviteA.tokenHash]) {
      await rejectsTenancy(c.invites.accept({ token, password: "long enough password" }));
    }
    await expectUsersOfAIntact(f);
    expect(await db().account.count({ where: { userId: f.invitedA.user.id } })).toBe(0);
  },
  "sites.credentialAccess": async (f, c) => rejectsTenancy(c.sites.credentialAccess({ siteId: f.applianceA.siteId })),
  "sites.revokeAppliance": async (f, c) => {
    await rejectsTenancy(c.sites.revokeAppliance({ applianceId: f.applianceA.applianceId }));
    expect((await db().appliance.findUniqueOrThrow({ where: { id: f.applianceA.applianceId } })).revokedAt).toBeNull();
  },
  "appliances.list": async (f, c) => {
    for (const input of [undefined, { site: f.applianceA.siteId }, { q: f.applianceA.applianceId }]) {
      const page = await c.appliances.list(input);
      expect(JSON.stringify(page)).not.toContain(f.applianceA.applianceId);
    }
    expect((await c.appliances.list({ site: f.applianceA.siteId })).total).toBe(0);
  },
  "notifications.list": async (_f, c) => {
    expect(JSON.stringify(await c.notifications.list())).not.toContain("A's alert");
  },
  "notifications.unreadCount": async (_f, c) => {
    expect(await c.notifications.unreadCount()).toBe(0);
  },
  "notifications.page": async (f, c) => {
    for (const input of [undefined, { site: f.applianceA.siteId }, { q: "for A only" }, { read: "unread" as const }]) {
      const page = await c.notifications.page(input);
      expect(page.total).toBe(0);
      expect(JSON.stringify(page)).not.toContain(f.applianceA.siteId);
    }
  },
  "notifications.markRead": async (f, c) => {
    const [mine] = await db().notification.findMany({ where: { partnerId: f.a.partner.id } });
    expect((await c.notifications.markRead({ ids: [mine?.id ?? ""] })).marked).toBe(0);
    expect((await c.notifications.markRead({ allMatching: { site: f.applianceA.siteId } })).marked).toBe(0);
    expect((await db().notification.findUniqueOrThrow({ where: { id: mine?.id } })).readAt).toBeNull();
  },
  "partner.branding": async (f, c) => {
    expect((await c.partner.branding()).slug).toBe(f.b.partner.slug);
  },
  "partner.dashboard": async (f, c) => {
    expect(JSON.stringify(await c.partner.dashboard())).not.toContain(f.applianceA.siteId);
  },
  "partner.coverage": async (f, c) => {
    const seen = JSON.stringify(await c.partner.coverage());
    expect(seen).not.toContain(f.applianceA.siteId);
    expect(seen).not.toContain(f.targetA.id);
  },
  "partner.compliance": async (f, c) => {
    const seen = JSON.stringify(await c.partner.compliance());
    expect(seen).not.toContain(f.applianceA.siteId);
    expect(seen).not.toContain("fs01.a.local");
  },
  "provisionCodes.list": async (f, c) => {
    expect(JSON.stringify(await c.provisionCodes.list())).not.toContain(f.code.id);
  },
  "provisionCodes.create": async (f, c) =>
    rejectsTenancy(c.provisionCodes.create({ clientName: "x", siteId: f.applianceA.siteId })),
  "provisionCodes.revoke": async (f, c) => rejectsTenancy(c.provisionCodes.revoke({ id: f.code.id })),
  "complianceSettings.thresholds": async (f, c) => {
    await db().partner.update({ where: { id: f.a.partner.id }, data: { rmmAllowList: ["A-only-rmm"] } });
    expect(JSON.stringify(await c.complianceSettings.thresholds())).not.toContain("A-only-rmm");
  },
  "complianceSettings.updateThresholds": async (f, c) => {
    await c.complianceSettings.updateThresholds({ screenLockMaxSeconds: 900 });
    expect((await db().partner.findUniqueOrThrow({ where: { id: f.a.partner.id } })).screenLockMaxSeconds).toBe(600);
  },
  "complianceSettings.siteSchedule": async (f, c) =>
    rejectsTenancy(c.complianceSettings.siteSchedule({ siteId: f.applianceA.siteId })),
  "complianceSettings.setSiteSchedule": async (f, c) => {
    await rejectsTenancy(c.complianceSettings.setSiteSchedule({ siteId: f.applianceA.siteId, intervalMinutes: 15 }));
    expect((await db().site.findUniqueOrThrow({ where: { id: f.applianceA.siteId } })).scanIntervalMinutes).toBe(60);
  },
  "sites.targets": async (f, c) => rejectsTenancy(c.sites.targets({ siteId: f.applianceA.siteId })),
  "sites.coverage": async (f, c) => rejectsTenancy(c.sites.coverage({ siteId: f.applianceA.siteId })),
  "sites.compliance": async (f, c) => {
    await rejectsTenancy(c.sites.compliance({ siteId: f.applianceA.siteId }));
    expect(JSON.stringify(await c.sites.compliance({ siteId: f.applianceB.siteId }))).not.toContain("fs01.a.local");
  },
  "sites.complianceDrift": async (f, c) => {
    await rejectsTenancy(c.sites.complianceDrift({ siteId: f.applianceA.siteId }));
    expect(JSON.stringify(await c.sites.complianceDrift({ siteId: f.applianceB.siteId }))).not.toContain(
      "fs01.a.local",
    );
  },
  "sites.domainControllers": async (f, c) => rejectsTenancy(c.sites.domainControllers({ siteId: f.applianceA.siteId })),
  "sites.acceptDcCertificate": async (f, c) => {
    for (const siteId of [f.applianceA.siteId, f.applianceB.siteId]) {
      await rejectsTenancy(c.sites.acceptDcCertificate({ siteId, ...f.dcCertificateA }));
    }
    const row = await db().domainControllerCertificate.findFirstOrThrow({ where: { siteId: f.applianceA.siteId } });
    expect(row.status).toBe("pending");
  },
  "sites.domainCredential": async (f, c) => rejectsTenancy(c.sites.domainCredential({ siteId: f.applianceA.siteId })),
  "sites.setDomainCredential": async (f, c) => {
    await rejectsTenancy(
      c.sites.setDomainCredential({
        siteId: f.applianceA.siteId,
        credential: { domain: "a.test", username: "stolen", password: "p" },
      }),
    );
    expect(
      (
        await db().siteCredential.findFirstOrThrow({
          where: { siteId: f.applianceA.siteId, credentialType: "domain_admin" },
        })
      ).id,
    ).toBe(f.domainCredential.id);
  },
  "sites.approveTargets": async (f, c) => {
    await rejectsTenancy(c.sites.approveTargets({ siteId: f.applianceA.siteId, all: true }));
    // B's own site, A's target id: matches nothing of B's.
    await expect(
      c.sites.approveTargets({ siteId: f.applianceB.siteId, targetIds: [f.targetA.id] }),
    ).rejects.toBeDefined();
    expect((await db().windowsTarget.findUniqueOrThrow({ where: { id: f.targetA.id } })).approval).toBe(
      "awaiting_approval",
    );
  },
  "sites.list": async (f, c) => {
    expect(JSON.stringify(await c.sites.list())).not.toContain(f.applianceA.siteId);
  },
  "sites.get": async (f, c) => rejectsTenancy(c.sites.get({ siteId: f.applianceA.siteId })),
  "sites.requestScan": async (f, c) => rejectsTenancy(c.sites.requestScan({ siteId: f.applianceA.siteId })),
  "sites.createCredential": async (f, c) =>
    rejectsTenancy(
      c.sites.createCredential({
        siteId: f.applianceA.siteId,
        credential: { credentialType: "winrm", credentialName: "x", username: "u", password: "p" },
      }),
    ),
  "sites.updateCredential": async (f, c) => {
    for (const siteId of [f.applianceA.siteId, f.applianceB.siteId]) {
      await rejectsTenancy(
        c.sites.updateCredential({ siteId, credentialId: f.credential.id, changes: { credentialName: "stolen" } }),
      );
    }
  },
  "sites.deleteCredential": async (f, c) => {
    for (const siteId of [f.applianceA.siteId, f.applianceB.siteId]) {
      await rejectsTenancy(c.sites.deleteCredential({ siteId, credentialId: f.credential.id }));
    }
  },
};

let fx: Fixtures;
beforeAll(async () => {
  fx = await setup();
});
afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

const files = routeFiles();
const procedurePaths = Object.keys(appRouter._def.procedures).sort();

describe("tenancy walk", () => {
  it("has a case for every REST route and method under app/", () => {
    const missing = files.flatMap((f) =>
      implementedMethods(f)
        .filter((m) => !ROUTES[f]?.[m])
        .map((m) => `${m} ${f}`),
    );
    expect(missing).toEqual([]);
    // And no stale cases for routes that are gone.
    expect(Object.keys(ROUTES).filter((f) => !files.includes(f))).toEqual([]);
  });

  it("has a case for every tRPC procedure", () => {
    expect(procedurePaths.filter((p) => !PROCEDURES[p])).toEqual([]);
    expect(Object.keys(PROCEDURES).filter((p) => !procedurePaths.includes(p))).toEqual([]);
  });

  for (const file of files) {
    for (const method of implementedMethods(file)) {
      const c = ROUTES[file]?.[method];
      if (!c || "exempt" in c) continue;
      it(`${method} /${file.replace(/\/?route\.ts$/, "")} refuses another tenant's ids`, async () => {
        await c(fx, await load(file));
      });
    }
  }

  for (const p of procedurePaths) {
    it(`tRPC ${p} refuses another partner's ids`, async () => {
      const c = PROCEDURES[p];
      if (!c) throw new Error(`no case for ${p}`);
      await c(fx, callerFor(sessionUser(fx.b.user)));
      // Whatever B did, A's data is intact.
      expect(await db().siteCredential.count({ where: { id: fx.credential.id, credentialName: "fs01" } })).toBe(1);
    });
  }
});
