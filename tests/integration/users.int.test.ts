/**
 * Partner user management over tRPC: who may do what (technicians read only), the rules that keep a
 * partner administrable (no self-removal or self-demotion, never without an admin who can sign in), email
 * uniqueness, removal signing the user out at once, audit events, tenancy and the list's search, sort
 * and paging.
 */
import { afterAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/server/auth/session";
import { db, disconnectDb } from "@/server/db";
import { acceptUserLink } from "@/server/domain/users/accept-user-link";
import { closeRedis } from "@/server/redis";
import { callerFor, makePartner, makeUser, PASSWORD, sessionUser, uniq } from "../support/factories";
import { sessionCookie } from "../support/sign-in";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

const FORBIDDEN = { code: "FORBIDDEN", message: expect.stringMatching(/Only a partner admin/) };
const LAST_ADMIN = { code: "CONFLICT", message: expect.stringMatching(/at least one partner admin/) };

function tokenOf(url: string): string {
  return new URL(url).pathname.split("/").pop() ?? "";
}

async function team() {
  const a = await makePartner();
  const tech = await makeUser("partner_technician", a.partner.id);
  return { a, tech, admin: callerFor(sessionUser(a.user)), techCaller: callerFor(sessionUser(tech)) };
}

describe("inviting", () => {
  it("creates an invited user with no password and a 7-day link shown once; only its hash is stored; audited", async () => {
    const { a, admin } = await team();
    const email = `${uniq("new")}@Example.test`;
    const issued = await admin.users.invite({ email, name: "  Dana Tech ", role: "partner_technician" });
    expect(issued.user).toMatchObject({
      email: email.toLowerCase(),
      name: "Dana Tech",
      role: "partner_technician",
      status: "invited",
    });
    expect(issued.inviteUrl).toMatch(/^http:\/\/127\.0\.0\.1:3999\/invite\/[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(issued.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(issued.user.inviteExpiresAt).toBe(issued.expiresAt);

    const token = tokenOf(issued.inviteUrl);
    const rows = await db().userInvite.findMany({ where: { userId: issued.user.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await db().account.count({ where: { userId: issued.user.id } })).toBe(0);

    const audit = await db().auditEvent.findFirstOrThrow({
      where: { partnerId: a.partner.id, action: "user.invited", targetId: issued.user.id },
    });
    expect(audit).toMatchObject({ actorType: "user", actorId: a.user.id });
    expect(JSON.stringify(audit.metadata)).not.toContain(token);
  });

  it("refuses an email that is already taken, in any partner and any case (409), and creates nothing", async () => {
    const { admin, tech } = await team();
    const other = await makePartner();
    for (const email of [tech.email.toUpperCase(), other.email]) {
      await expect(admin.users.invite({ email, name: "Dup", role: "partner_technician" })).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringMatching(/already exists/),
      });
    }
    expect(await db().user.count({ where: { name: "Dup" } })).toBe(0);
  });

  it("rejects a malformed email or empty name with a readable BAD_REQUEST", async () => {
    const { admin } = await team();
    await expect(admin.users.invite({ email: "not-an-email", name: "x", role: "partner_admin" })).rejects.toMatchObject(
      { code: "BAD_REQUEST" },
    );
    await expect(
      admin.users.invite({ email: `${uniq()}@example.test`, name: "   ", role: "partner_admin" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("technicians", () => {
  it("see the team but may not invite, re-issue links, change roles or remove; nothing changes", async () => {
    const { a, tech, admin, techCaller } = await team();
    const list = await techCaller.users.list();
    expect(list.users.map((u) => u.email).sort()).toEqual([a.email, tech.email].sort());

    await expect(
      techCaller.users.invite({ email: `${uniq()}@example.test`, name: "x", role: "partner_admin" }),
    ).rejects.toMatchObject(FORBIDDEN);
    await expect(techCaller.users.reissueInvite({ userId: a.user.id })).rejects.toMatchObject(FORBIDDEN);
    await expect(techCaller.users.changeRole({ userId: tech.id, role: "partner_admin" })).rejects.toMatchObject(
      FORBIDDEN,
    );
    await expect(techCaller.users.remove({ userId: a.user.id })).rejects.toMatchObject(FORBIDDEN);

    const after = await admin.users.list();
    expect(after.total).toBe(2);
    expect(after.users.find((u) => u.id === tech.id)?.role).toBe("partner_technician");
    expect(await db().userInvite.count({ where: { partnerId: a.partner.id } })).toBe(0);
  });
});

describe("changing roles", () => {
  it("promotes and demotes, effective on the user's next request, audited with from/to", async () => {
    const { a, tech, admin } = await team();
    const promoted = await admin.users.changeRole({ userId: tech.id, role: "partner_admin" });
    expect(promoted).toMatchObject({ id: tech.id, role: "partner_admin", status: "active" });
    // The promoted user's own session sees the new role: admin-only procedures now work.
    const cookie = await sessionCookie(tech.email, PASSWORD);
    const fresh = await getSessionUser(new Headers({ cookie }));
    expect(fresh?.role).toBe("partner_admin");
    await expect(callerFor(fresh).users.reissueInvite({ userId: a.user.id })).resolves.toBeTruthy();

    await admin.users.changeRole({ userId: tech.id, role: "partner_technician" });
    const demoted = await getSessionUser(new Headers({ cookie }));
    expect(demoted?.role).toBe("partner_technician");
    await expect(callerFor(demoted).users.remove({ userId: a.user.id })).rejects.toMatchObject(FORBIDDEN);

    const events = await db().auditEvent.findMany({
      where: { partnerId: a.partner.id, action: "user.role_changed", targetId: tech.id },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.metadata)).toEqual([
      { email: tech.email, from: "partner_technician", to: "partner_admin" },
      { email: tech.email, from: "partner_admin", to: "partner_technician" },
    ]);
  });

  it("setting the role a user already has changes nothing and records nothing", async () => {
    const { a, tech, admin } = await team();
    await admin.users.changeRole({ userId: tech.id, role: "partner_technician" });
    expect(await db().auditEvent.count({ where: { partnerId: a.partner.id, action: "user.role_changed" } })).toBe(0);
  });

  it("an admin cannot demote themselves (409), even with another admin present", async () => {
    const { a, tech, admin } = await team();
    await admin.users.changeRole({ userId: tech.id, role: "partner_admin" });
    await expect(admin.users.changeRole({ userId: a.user.id, role: "partner_technician" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/your own account/),
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: a.user.id } })).role).toBe("partner_admin");
  });

  it("the last admin who can sign in cannot be demoted by another admin: an invited admin does not count", async () => {
    const { a, admin } = await team();
    // A second admin who can sign in demotes the first: fine. Then nobody may demote the remaining one.
    const second = await makeUser("partner_admin", a.partner.id);
    const secondCaller = callerFor(sessionUser(second));
    const invited = await admin.users.invite({ email: `${uniq()}@example.test`, name: "Inv", role: "partner_admin" });
    await secondCaller.users.changeRole({ userId: a.user.id, role: "partner_technician" });
    // Only `second` can sign in as admin now; the invited admin has no password yet.
    const invitedCaller = callerFor(
      sessionUser({ ...invited.user, partnerId: a.partner.id, role: "partner_admin" } as never),
    );
    await expect(
      invitedCaller.users.changeRole({ userId: second.id, role: "partner_technician" }),
    ).rejects.toMatchObject(LAST_ADMIN);
    await expect(invitedCaller.users.remove({ userId: second.id })).rejects.toMatchObject(LAST_ADMIN);
    // Once the invited admin has set a password, they count.
    await acceptUserLink(
      db(),
      { token: new URL(invited.inviteUrl).pathname.split("/")[2] ?? "", password: PASSWORD },
      null,
    );
    await invitedCaller.users.changeRole({ userId: second.id, role: "partner_technician" });
    expect((await db().user.findUniqueOrThrow({ where: { id: second.id } })).role).toBe("partner_technician");
  });

  it("two admins demoting each other at the same moment: exactly one wins, one admin remains", async () => {
    const { a, admin } = await team();
    const second = await makeUser("partner_admin", a.partner.id);
    const results = await Promise.allSettled([
      admin.users.changeRole({ userId: second.id, role: "partner_technician" }),
      callerFor(sessionUser(second)).users.changeRole({ userId: a.user.id, role: "partner_technician" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject(LAST_ADMIN);
    expect(await db().user.count({ where: { partnerId: a.partner.id, role: "partner_admin" } })).toBe(1);
  });
});

describe("removing", () => {
  it("signs the removed user out at once, keeps their audit history, and audits the removal", async () => {
    const { a, tech, admin } = await team();
    const cookie = await sessionCookie(tech.email, PASSWORD);
    const headers = new Headers({ cookie });
    expect((await getSessionUser(headers))?.id).toBe(tech.id);
    const signedInEvents = await db().auditEvent.count({ where: { actorId: tech.id, action: "user.signed_in" } });
    expect(signedInEvents).toBe(1);

    const removed = await admin.users.remove({ userId: tech.id });
    expect(removed).toEqual({ id: tech.id, email: tech.email, sessionsEnded: 1 });
    expect(await getSessionUser(headers)).toBeNull();
    expect(await db().session.count({ where: { userId: tech.id } })).toBe(0);
    expect(await db().account.count({ where: { userId: tech.id } })).toBe(0);
    expect((await admin.users.list()).users.map((u) => u.id)).toEqual([a.user.id]);

    expect(await db().auditEvent.count({ where: { actorId: tech.id, action: "user.signed_in" } })).toBe(1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.removed", targetId: tech.id } });
    expect(event).toMatchObject({ partnerId: a.partner.id, actorType: "user", actorId: a.user.id });
    expect(event.metadata).toMatchObject({ email: tech.email, role: "partner_technician", sessions_ended: 1 });
  });

  it("an admin cannot remove themselves (409); the last admin cannot be removed over REST either (see users-rest)", async () => {
    const { a, admin } = await team();
    await expect(admin.users.remove({ userId: a.user.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/cannot remove your own account/),
    });
    expect(await db().user.count({ where: { id: a.user.id } })).toBe(1);
  });

  it("the email of a removed user can be invited again", async () => {
    const { tech, admin } = await team();
    await admin.users.remove({ userId: tech.id });
    const again = await admin.users.invite({ email: tech.email, name: "Back", role: "partner_technician" });
    expect(again.user).toMatchObject({ email: tech.email, status: "invited" });
  });
});

describe("tenancy", () => {
  it("another partner's user ids are NOT_FOUND on every procedure, and that user is untouched", async () => {
    const { a, tech } = await team();
    const b = await makePartner();
    const other = callerFor(sessionUser(b.user));
    const notFound = { code: "NOT_FOUND" };
    for (const userId of [a.user.id, tech.id]) {
      await expect(other.users.reissueInvite({ userId })).rejects.toMatchObject(notFound);
      await expect(other.users.changeRole({ userId, role: "partner_technician" })).rejects.toMatchObject(notFound);
      await expect(other.users.remove({ userId })).rejects.toMatchObject(notFound);
    }
    expect((await other.users.list()).users.map((u) => u.email)).toEqual([b.email]);
    expect(await other.users.list({ search: tech.email })).toMatchObject({ users: [], total: 0 });
    expect((await db().user.findUniqueOrThrow({ where: { id: a.user.id } })).role).toBe("partner_admin");
    expect(await db().user.count({ where: { id: tech.id } })).toBe(1);
    expect(await db().userInvite.count({ where: { userId: { in: [a.user.id, tech.id] } } })).toBe(0);
  });

  it("a platform admin is not a partner user: not listed, not reachable", async () => {
    const { admin } = await team();
    const platform = await makeUser("platform_admin", null);
    await expect(admin.users.remove({ userId: platform.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("listing", () => {
  it("searches name and email server-side, sorts by any column either way, and pages with a total", async () => {
    const a = await makePartner();
    const admin = callerFor(sessionUser(a.user));
    const tag = uniq("zeta");
    const names = ["Carol", "alice", "Bob", "Dave", "Eve"];
    for (const [i, name] of names.entries()) {
      await admin.users.invite({
        email: `${tag}-${i}@example.test`,
        name: `${name} ${tag}`,
        role: i % 2 ? "partner_admin" : "partner_technician",
      });
    }
    const byName = await admin.users.list({ search: tag.toUpperCase(), sort: "name", order: "asc" });
    expect(byName.total).toBe(5);
    expect(byName.users.map((u) => u.name.split(" ")[0])).toEqual(["alice", "Bob", "Carol", "Dave", "Eve"]);

    const byEmailDesc = await admin.users.list({ search: tag, sort: "email", order: "desc" });
    expect(byEmailDesc.users.map((u) => u.email)).toEqual([4, 3, 2, 1, 0].map((i) => `${tag}-${i}@example.test`));

    const byRole = await admin.users.list({ search: tag, sort: "role", order: "asc" });
    expect(byRole.users.map((u) => u.role)).toEqual([
      "partner_admin",
      "partner_admin",
      "partner_technician",
      "partner_technician",
      "partner_technician",
    ]);

    const page1 = await admin.users.list({ search: tag, sort: "name", pageSize: 2, page: 1 });
    const page3 = await admin.users.list({ search: tag, sort: "name", pageSize: 2, page: 3 });
    expect(page1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(page1.users.map((u) => u.name.split(" ")[0])).toEqual(["alice", "Bob"]);
    expect(page3.users.map((u) => u.name.split(" ")[0])).toEqual(["Eve"]);

    // By email: "-3@" matches one; the whole partner without a search is 6 (the admin too).
    expect((await admin.users.list({ search: `${tag}-3@` })).users.map((u) => u.name)).toEqual([`Dave ${tag}`]);
    expect((await admin.users.list()).total).toBe(6);
    // LIKE wildcards in a search are plain text; a page past the end is empty but still says the total.
    expect((await admin.users.list({ search: "%" })).total).toBe(0);
    expect(await admin.users.list({ search: tag, pageSize: 2, page: 9 })).toMatchObject({ users: [], total: 5 });
    await expect(admin.users.list({ pageSize: 101 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
