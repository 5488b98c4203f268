/**
 * A partner admin resets a user's forgotten password (tRPC users.resetPassword and REST
 * POST /api/partners/me/users/{id}/reset-password): a one-time link shown once, the user's sessions end at
 * once, audited without the token; technicians are refused, another partner's user is "not found"; the
 * link sets a new password once.
 */
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import * as resetRoute from "@/app/api/partners/me/users/[id]/reset-password/route";
import { getSessionUser } from "@/server/auth/session";
import { db, disconnectDb } from "@/server/db";
import { createLogger, setLogger } from "@/server/logger";
import { closeRedis } from "@/server/redis";
import { callerFor, callRoute, makePartner, makeUser, PASSWORD, sessionUser } from "../support/factories";
import { sessionCookie, signIn } from "../support/sign-in";

afterAll(async () => {
  setLogger(createLogger());
  await closeRedis();
  await disconnectDb();
});

const NEW_PASSWORD = "a fresh passphrase after reset";
const anonymous = callerFor(null);
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
const tokenOf = (url: string) => new URL(url).pathname.split("/")[2] ?? "";

async function post(token: string, id: string) {
  const res = await callRoute(
    resetRoute.POST,
    new Request(`http://x/api/partners/me/users/${id}/reset-password`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    }),
    { id },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("resetting a user's password", () => {
  it("an admin resets a technician's: old sessions end, the link works once, audited without the token, nothing logged", async () => {
    const lines: string[] = [];
    setLogger(
      createLogger(
        new Writable({
          write(chunk, _enc, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      ),
    );
    const p = await makePartner();
    const tech = await makeUser("partner_technician", p.partner.id);
    const oldCookie = await sessionCookie(tech.email, PASSWORD);
    expect(await getSessionUser(new Headers({ cookie: oldCookie }))).toMatchObject({ id: tech.id });

    const admin = callerFor(sessionUser(p.user));
    const reset = await admin.users.resetPassword({ userId: tech.id });
    expect(reset.sessionsEnded).toBe(1);
    expect(reset.inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    const token = tokenOf(reset.inviteUrl);

    // The old session is gone at once; the old password still signs in until the link is used.
    expect(await getSessionUser(new Headers({ cookie: oldCookie }))).toBeNull();
    expect((await anonymous.invites.get({ token })).state).toBe("valid");

    // Only the HMAC is stored.
    const stored = await db().userInvite.findMany({ where: { userId: tech.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toBe(token);
    expect(stored[0]?.kind).toBe("password_reset");

    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "user.password_reset_issued", targetId: tech.id },
    });
    expect(event).toMatchObject({ partnerId: p.partner.id, actorType: "user", actorId: p.user.id });
    expect(event.metadata).toMatchObject({ email: tech.email, sessions_ended: 1 });
    expect(json(event)).not.toContain(token);

    expect(await anonymous.invites.accept({ token, password: NEW_PASSWORD })).toEqual({ email: tech.email });
    await expect(anonymous.invites.accept({ token, password: "a second new password" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect((await signIn(tech.email, PASSWORD)).status).toBe(401);
    expect((await signIn(tech.email, NEW_PASSWORD)).status).toBe(200);

    const audit = await db().auditEvent.findMany({ where: { targetId: tech.id } });
    expect(json(audit)).not.toContain(token);
    expect(lines.join("")).not.toContain(token);
  });

  it("a newer link replaces the older one", async () => {
    const p = await makePartner();
    const tech = await makeUser("partner_technician", p.partner.id);
    const admin = callerFor(sessionUser(p.user));
    const first = tokenOf((await admin.users.resetPassword({ userId: tech.id })).inviteUrl);
    const second = tokenOf((await admin.users.resetPassword({ userId: tech.id })).inviteUrl);
    expect((await anonymous.invites.get({ token: first })).state).toBe("superseded");
    expect((await anonymous.invites.get({ token: second })).state).toBe("valid");
  });

  it("an admin may reset another admin's password", async () => {
    const p = await makePartner();
    const other = await makeUser("partner_admin", p.partner.id);
    const reset = await callerFor(sessionUser(p.user)).users.resetPassword({ userId: other.id });
    expect(reset.user).toMatchObject({ id: other.id, role: "partner_admin" });
  });

  it("a technician is refused (FORBIDDEN) and nothing is issued", async () => {
    const p = await makePartner();
    const tech = await makeUser("partner_technician", p.partner.id);
    const other = await makeUser("partner_technician", p.partner.id);
    await expect(callerFor(sessionUser(tech)).users.resetPassword({ userId: other.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db().userInvite.count({ where: { userId: other.id } })).toBe(0);
  });

  it("another partner's user is not found (tRPC and REST), and keeps their sessions", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const bTech = await makeUser("partner_technician", b.partner.id);
    const cookie = await sessionCookie(bTech.email, PASSWORD);
    await expect(callerFor(sessionUser(a.user)).users.resetPassword({ userId: bTech.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const rest = await post(a.apiToken, bTech.id);
    expect(rest.status).toBe(404);
    expect(rest.body).toEqual({ error: expect.any(String) });
    expect(await db().userInvite.count({ where: { userId: bTech.id } })).toBe(0);
    expect(await getSessionUser(new Headers({ cookie }))).toMatchObject({ id: bTech.id });
  });

  it("REST: a full token gets the link once in snake_case, audited as the token", async () => {
    const p = await makePartner();
    const tech = await makeUser("partner_technician", p.partner.id);
    const res = await post(p.apiToken, tech.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { id: tech.id, email: tech.email, status: "active" },
      invite_url: expect.stringMatching(/\/invite\//),
      expires_at: expect.any(String),
      sessions_ended: 0,
    });
    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "user.password_reset_issued", targetId: tech.id },
    });
    expect(event.actorType).toBe("partner_token");
    expect(json(event)).not.toContain(tokenOf(String(res.body.invite_url)));
  });
});
