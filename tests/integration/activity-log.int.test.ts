/**
 * The partner activity log: every console/API action named (credential, clinic, hostname, who), filters,
 * paging, the CSV export, no secret anywhere in it, another partner's activity never shown, technicians 403.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPOST } from "@/app/api/auth/[...all]/route";
import * as activityRoute from "@/app/api/partners/me/activity/route";
import * as csvRoute from "@/app/api/partners/me/activity.csv/route";
import { ActivityPage } from "@/server/contracts/activity";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { revokeAppliance } from "@/server/domain/appliances/revoke-appliance";
import { recordFailedSignIn, recordSignIn } from "@/server/domain/audit/record-sign-in-event";
import {
  createSiteCredential,
  deleteSiteCredential,
  updateSiteCredential,
} from "@/server/domain/credentials/site-credentials";
import { createProvisionCode, revokeProvisionCode } from "@/server/domain/provisioning/partner-codes";
import { createPartnerApiToken, revokePartnerApiToken } from "@/server/domain/tokens/partner-api-tokens";
import { closeRedis } from "@/server/redis";
import {
  callerFor,
  callRoute,
  makeApplianceWithKey,
  makePartner,
  makeUser,
  PASSWORD,
  sessionUser,
} from "../support/factories";
import { testEnv } from "../support/test-env";

const SECRET = "PLANTED-pa55word-7f3c9e";
const SECRET2 = "PLANTED-changed-41d2aa";

type Setup = Awaited<ReturnType<typeof setup>>;
let s: Setup;

async function setup() {
  const a = await makePartner();
  const b = await makePartner();
  const by = { actorType: "user" as const, actorId: a.user.id, ip: "198.51.100.7" };
  const applianceA = await makeApplianceWithKey(a.partner.id);
  await db().appliance.update({ where: { id: applianceA.applianceId }, data: { hostname: "osiris-01" } });
  const cred = await createSiteCredential(
    db(),
    a.partner.id,
    applianceA.siteId,
    {
      credential_type: "winrm",
      credential_name: "File server",
      host: "fs01.a.local",
      username: "svc",
      password: SECRET,
    },
    by,
  );
  await updateSiteCredential(db(), a.partner.id, applianceA.siteId, cred.id, { password: SECRET2 }, by);
  await deleteSiteCredential(db(), a.partner.id, applianceA.siteId, cred.id, by);
  const code = await createProvisionCode(db(), a.partner.id, { client_name: "Maple Clinic" }, by);
  await revokeProvisionCode(db(), a.partner.id, code.id, by);
  const tokenActor = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: a.partner.id } });
  const token = await createPartnerApiToken(
    db(),
    a.partner.id,
    { name: "Billing export", scope: "read" },
    {
      actorType: "partner_token",
      actorId: tokenActor.id,
      ip: "192.0.2.44",
    },
  );
  await revokePartnerApiToken(db(), a.partner.id, token.id, by);
  await revokeAppliance(db(), a.partner.id, applianceA.applianceId, { ...by, by: a.user.email });
  await recordSignIn(db(), { userId: a.user.id, ip: "198.51.100.7" });
  await recordFailedSignIn(db(), { email: a.user.email, ip: "203.0.113.9", reason: "wrong_password" });
  // B's own action, never shown to A.
  const applianceB = await makeApplianceWithKey(b.partner.id);
  await createSiteCredential(
    db(),
    b.partner.id,
    applianceB.siteId,
    { credential_type: "winrm", credential_name: "B-only box", host: "b.local", username: "u", password: "B-secret-x" },
    { actorType: "user", actorId: b.user.id },
  );
  const tech = await makeUser("partner_technician", a.partner.id);
  return { a, b, applianceA, cred, code, token, tokenActor, tech };
}

async function get(mod: typeof activityRoute, url: string, auth: { bearer?: string; cookie?: string }) {
  const headers: Record<string, string> = {};
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const res = await callRoute(mod.GET, new Request(`http://x${url}`, { headers }));
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

async function list(query: string, bearer = s.a.apiToken) {
  const r = await get(activityRoute, `/api/partners/me/activity${query}`, { bearer });
  expect(r.status).toBe(200);
  return ActivityPage.parse(JSON.parse(r.text));
}

async function signIn(email: string): Promise<string> {
  const res = await authPOST(
    new Request(`${testEnv.PUBLIC_URL}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: testEnv.PUBLIC_URL },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("osiris.session_token="));
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie.split(";")[0] ?? "";
}

beforeAll(async () => {
  s = await setup();
});

afterAll(async () => {
  await disconnectDb();
  await closePgPool();
  await closeRedis();
});

describe("partner activity log", () => {
  it("names every action: who, from where, and what it touched, even after the row is gone", async () => {
    const page = await list("?page_size=200");
    const summaries = page.entries.map((e) => e.summary);
    for (const expected of [
      "Credential 'File server' added at ",
      "Credential 'File server' changed at ",
      "Credential 'File server' deleted at ",
      "Provision code for 'Maple Clinic' created",
      "Provision code for 'Maple Clinic' revoked",
      "API token 'Billing export' created",
      "API token 'Billing export' revoked",
      "Appliance osiris-01 revoked",
      `Signed in as ${s.a.user.email} from 198.51.100.7`,
      `Sign-in failed for ${s.a.user.email} from 203.0.113.9 (wrong password)`,
    ]) {
      expect(
        summaries.some((t) => t.startsWith(expected)),
        expected,
      ).toBe(true);
    }
    const deleted = page.entries.find((e) => e.action === "credential.deleted");
    expect(deleted).toMatchObject({
      actor_type: "user",
      actor_id: s.a.user.id,
      actor_name: s.a.user.name,
      actor_detail: s.a.user.email,
      ip: "198.51.100.7",
      target_type: "site_credential",
      target_id: s.cred.id,
      target_name: "File server",
      site_id: s.applianceA.siteId,
    });
    expect(deleted?.site_name).toMatch(/^Clinic /);
    const byToken = page.entries.find((e) => e.action === "api_token.created");
    expect(byToken).toMatchObject({ actor_type: "partner_token", actor_name: "initial", ip: "192.0.2.44" });
    // Newest first.
    const times = page.entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("filters by group, action, actor, dates and text", async () => {
    const creds = await list("?group=credentials");
    expect(creds.entries.map((e) => e.action).sort()).toEqual([
      "credential.created",
      "credential.deleted",
      "credential.updated",
    ]);
    const one = await list("?action=provision_code.revoked");
    expect(one.entries.map((e) => e.target_name)).toEqual(["Maple Clinic"]);
    const signIns = await list("?group=sign_ins");
    expect(signIns.entries.map((e) => e.action).sort()).toEqual(["user.sign_in_failed", "user.signed_in"]);
    const byToken = await list(`?actor=${s.tokenActor.id}`);
    expect(byToken.entries.map((e) => e.action)).toEqual(["api_token.created"]);
    const q = await list("?q=maple");
    expect(q.entries.map((e) => e.action).sort()).toEqual(["provision_code.created", "provision_code.revoked"]);
    const qIp = await list("?q=203.0.113");
    expect(qIp.entries.map((e) => e.action)).toEqual(["user.sign_in_failed"]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`?from=${today}&to=${today}&group=credentials`)).entries).toHaveLength(3);
    expect((await list("?to=2000-01-01")).entries).toHaveLength(0);
    expect((await list("?from=2999-01-01")).entries).toHaveLength(0);
    const bad = await get(activityRoute, "/api/partners/me/activity?from=yesterday", { bearer: s.a.apiToken });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error).toMatch(/from/);
    const badGroup = await get(activityRoute, "/api/partners/me/activity?group=nope", { bearer: s.a.apiToken });
    expect(badGroup.status).toBe(400);
  });

  it("pages and sorts in the database without repeating an entry", async () => {
    const all = await list("?page_size=200");
    const first = await list("?page_size=4&page=1");
    const second = await list("?page_size=4&page=2");
    expect(first.has_more).toBe(true);
    expect(first.entries).toHaveLength(4);
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(all.entries.slice(0, 8).map((e) => e.id));
    const last = await list(`?page_size=4&page=${Math.ceil(all.entries.length / 4)}`);
    expect(last.has_more).toBe(false);
    const asc = await list("?page_size=200&order=asc");
    expect(asc.entries.map((e) => e.id)).toEqual(all.entries.map((e) => e.id).reverse());
  });

  it("exports the same filtered log as CSV", async () => {
    const r = await get(csvRoute, "/api/partners/me/activity.csv?group=credentials", { bearer: s.a.apiToken });
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/csv/);
    const lines = r.text.trim().split("\r\n");
    expect(lines[0]).toBe(
      '"time","action","summary","actor_type","actor","actor_detail","ip","site","target_type","target","target_id"',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("credential.deleted");
    expect(lines[1]).toContain("Credential 'File server' deleted");
    expect(lines[1]).toContain(s.a.user.email);
    const full = await get(csvRoute, "/api/partners/me/activity.csv", { bearer: s.a.apiToken });
    expect(full.text.trim().split("\r\n").length).toBeGreaterThanOrEqual(11);
  });

  it("never shows a secret: not the password, not the code, not the token", async () => {
    const json = (await get(activityRoute, "/api/partners/me/activity?page_size=200", { bearer: s.a.apiToken })).text;
    const csv = (await get(csvRoute, "/api/partners/me/activity.csv", { bearer: s.a.apiToken })).text;
    const trpc = JSON.stringify(await callerFor(sessionUser(s.a.user)).activity.list({ pageSize: 200 }));
    for (const out of [json, csv, trpc]) {
      for (const secret of [SECRET, SECRET2, s.code.code, s.token.token, s.a.apiToken, PASSWORD]) {
        expect(out).not.toContain(secret);
      }
    }
  });

  it("never shows another partner's activity", async () => {
    const bPage = await list("?page_size=200", s.b.apiToken);
    expect(bPage.entries.map((e) => e.action).sort()).toEqual(["credential.created", "partner.created"]);
    expect(bPage.entries.find((e) => e.action === "credential.created")?.target_name).toBe("B-only box");
    const text = JSON.stringify(bPage);
    for (const a of ["File server", "Maple Clinic", s.a.user.id, "203.0.113.9"]) expect(text).not.toContain(a);
    const bActor = await list(`?actor=${s.a.user.id}`, s.b.apiToken);
    expect(bActor.entries).toEqual([]);
    const csv = await get(csvRoute, "/api/partners/me/activity.csv", { bearer: s.b.apiToken });
    expect(csv.text).not.toContain("File server");
  });

  it("is for partner admins: a technician gets 403 from REST, CSV and tRPC; no caller gets 401", async () => {
    const cookie = await signIn(s.tech.email);
    expect((await get(activityRoute, "/api/partners/me/activity", { cookie })).status).toBe(403);
    expect((await get(csvRoute, "/api/partners/me/activity.csv", { cookie })).status).toBe(403);
    await expect(callerFor(sessionUser(s.tech)).activity.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await get(activityRoute, "/api/partners/me/activity", {})).status).toBe(401);
    const adminCookie = await signIn(s.a.email);
    const bySession = await get(activityRoute, "/api/partners/me/activity?group=credentials", { cookie: adminCookie });
    expect(bySession.status).toBe(200);
    expect(ActivityPage.parse(JSON.parse(bySession.text)).entries).toHaveLength(3);
    const page = await callerFor(sessionUser(s.a.user)).activity.list({ group: "credentials", pageSize: 2 });
    expect(page.entries.map((e) => e.targetName)).toEqual(["File server", "File server"]);
    expect(page.hasMore).toBe(true);
  });
});
