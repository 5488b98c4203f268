/**
 * /api/partners/me/users over REST: snake_case shapes, the invite link in the 201 only, PATCH (role and/or a
 * new link, all or nothing), DELETE, token scopes (a read token lists only), the last-admin rule with no
 * "self" to protect, readable 400/404/409s, and tenancy.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as userRoute from "@/app/api/partners/me/users/[id]/route";
import * as usersRoute from "@/app/api/partners/me/users/route";
import { db, disconnectDb } from "@/server/db";
import { createPartnerApiToken } from "@/server/domain/tokens/partner-api-tokens";
import type { RouteHandler } from "@/server/http/route";
import { closeRedis } from "@/server/redis";
import { callRoute, makePartner, makeUser, uniq } from "../support/factories";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

type Json = Record<string, unknown>;

async function call(
  handler: RouteHandler,
  method: string,
  token: string,
  opts: { params?: Json; body?: unknown; query?: string } = {},
) {
  const res = await callRoute(
    handler,
    new Request(`http://x/api/partners/me/users${opts.query ?? ""}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }),
    (opts.params ?? {}) as Record<string, string>,
  );
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

const USER_KEYS = ["created_at", "email", "id", "invite_expires_at", "name", "role", "status"];

describe("/api/partners/me/users", () => {
  it("invites (201, link once), lists in snake_case, changes the role, re-issues, removes; each audited as the token", async () => {
    const p = await makePartner();
    const email = `${uniq("rest")}@example.test`;
    const created = await call(usersRoute.POST, "POST", p.apiToken, {
      body: { email, name: "Rita Rest", role: "partner_technician" },
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(["expires_at", "invite_url", "user"]);
    const user = created.body.user as Json;
    expect(Object.keys(user).sort()).toEqual(USER_KEYS);
    expect(user).toMatchObject({ email, role: "partner_technician", status: "invited" });
    const url = String(created.body.invite_url);
    expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);

    const list = await call(usersRoute.GET, "GET", p.apiToken, {
      query: "?q=rita&sort=name&order=desc&page=1&page_size=10",
    });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, page_size: 10 });
    expect((list.body.users as Json[]).map((u) => u.email)).toEqual([email]);
    expect(JSON.stringify(list.body)).not.toContain(url.split("/").pop());

    const id = String(user.id);
    const patched = await call(userRoute.PATCH, "PATCH", p.apiToken, {
      params: { id },
      body: { role: "partner_admin", issue_link: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      user: { id, role: "partner_admin" },
      invite_url: expect.stringMatching(/\/invite\//),
    });
    expect(patched.body.invite_url).not.toBe(url);

    const roleOnly = await call(userRoute.PATCH, "PATCH", p.apiToken, {
      params: { id },
      body: { role: "partner_technician" },
    });
    expect(roleOnly.body).toMatchObject({
      user: { role: "partner_technician" },
      invite_url: null,
      invite_expires_at: null,
    });

    const removed = await call(userRoute.DELETE, "DELETE", p.apiToken, { params: { id } });
    expect(removed).toEqual({ status: 200, body: { id, email, sessions_ended: 0 } });
    expect((await call(userRoute.DELETE, "DELETE", p.apiToken, { params: { id } })).status).toBe(404);

    const token = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: p.partner.id } });
    const actions = await db().auditEvent.findMany({
      where: { partnerId: p.partner.id, targetId: id },
      orderBy: { id: "asc" },
      select: { action: true, actorType: true, actorId: true },
    });
    expect(actions.map((a) => a.action)).toEqual([
      "user.invited",
      "user.role_changed",
      "user.invite_reissued",
      "user.role_changed",
      "user.removed",
    ]);
    expect(new Set(actions.map((a) => `${a.actorType}:${a.actorId}`))).toEqual(new Set([`partner_token:${token.id}`]));
  });

  it("a read token lists users but cannot invite, change or remove (403); nothing changes", async () => {
    const p = await makePartner();
    const tech = await makeUser("partner_technician", p.partner.id);
    const read = await createPartnerApiToken(
      db(),
      p.partner.id,
      { name: "ro", scope: "read" },
      { actorType: "system" },
    );
    expect((await call(usersRoute.GET, "GET", read.token)).status).toBe(200);
    const refused = [
      await call(usersRoute.POST, "POST", read.token, {
        body: { email: `${uniq()}@example.test`, name: "x", role: "partner_admin" },
      }),
      await call(userRoute.PATCH, "PATCH", read.token, { params: { id: tech.id }, body: { role: "partner_admin" } }),
      await call(userRoute.DELETE, "DELETE", read.token, { params: { id: tech.id } }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(refused[0]?.body.error).toMatch(/read-only/);
    expect((await db().user.findUniqueOrThrow({ where: { id: tech.id } })).role).toBe("partner_technician");
    expect(await db().user.count({ where: { partnerId: p.partner.id } })).toBe(2);
  });

  it("refuses to remove or demote the partner's last admin who can sign in (409 with the reason)", async () => {
    const p = await makePartner();
    const removed = await call(userRoute.DELETE, "DELETE", p.apiToken, { params: { id: p.user.id } });
    expect(removed.status).toBe(409);
    expect(removed.body.error).toMatch(/at least one partner admin/);
    const demoted = await call(userRoute.PATCH, "PATCH", p.apiToken, {
      params: { id: p.user.id },
      body: { role: "partner_technician", issue_link: true },
    });
    expect(demoted.status).toBe(409);
    // All or nothing: the refused PATCH issued no link either.
    expect(await db().userInvite.count({ where: { userId: p.user.id } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: p.user.id } })).role).toBe("partner_admin");

    // With a second admin who can sign in, the first may go.
    await makeUser("partner_admin", p.partner.id);
    expect((await call(userRoute.DELETE, "DELETE", p.apiToken, { params: { id: p.user.id } })).status).toBe(200);
  });

  it("answers readable 400s and a 409 for a taken email", async () => {
    const p = await makePartner();
    const badRole = await call(usersRoute.POST, "POST", p.apiToken, {
      body: { email: `${uniq()}@example.test`, name: "x", role: "platform_admin" },
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error).toMatch(/role/);
    const badEmail = await call(usersRoute.POST, "POST", p.apiToken, {
      body: { email: "nope", name: "x", role: "partner_admin" },
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error).toMatch(/email/);
    const empty = await call(userRoute.PATCH, "PATCH", p.apiToken, { params: { id: p.user.id }, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/role, issue_link/);
    const badQuery = await call(usersRoute.GET, "GET", p.apiToken, { query: "?sort=password" });
    expect(badQuery.status).toBe(400);
    const taken = await call(usersRoute.POST, "POST", p.apiToken, {
      body: { email: p.email, name: "x", role: "partner_admin" },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatch(/already exists/);
  });

  it("another partner's user ids are 404, and lists are per partner", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const tech = await makeUser("partner_technician", a.partner.id);
    for (const id of [a.user.id, tech.id]) {
      expect(
        (await call(userRoute.PATCH, "PATCH", b.apiToken, { params: { id }, body: { role: "partner_admin" } })).status,
      ).toBe(404);
      expect(
        (await call(userRoute.PATCH, "PATCH", b.apiToken, { params: { id }, body: { issue_link: true } })).status,
      ).toBe(404);
      expect((await call(userRoute.DELETE, "DELETE", b.apiToken, { params: { id } })).status).toBe(404);
    }
    const list = await call(usersRoute.GET, "GET", b.apiToken);
    expect((list.body.users as Json[]).map((u) => u.email)).toEqual([b.email]);
    expect(await db().user.count({ where: { id: { in: [a.user.id, tech.id] } } })).toBe(2);
    expect(await db().userInvite.count({ where: { partnerId: a.partner.id } })).toBe(0);
  });
});
