/**
 * One-time links (/invite/<token>): setting a password with an invitation, then signing in; single use
 * (also under concurrent submits), expiry, superseded links, password resets that sign out every old
 * session, and the messages the page shows for each.
 */
import { afterAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/server/auth/session";
import { db, disconnectDb } from "@/server/db";
import { closeRedis } from "@/server/redis";
import { callerFor, makePartner, makeUser, PASSWORD, sessionUser, uniq } from "../support/factories";
import { sessionCookie, signIn } from "../support/sign-in";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

const NEW_PASSWORD = "a brand new passphrase";
const anonymous = callerFor(null);
const tokenOf = (url: string) => new URL(url).pathname.split("/")[2] ?? "";

async function invited(role: "partner_admin" | "partner_technician" = "partner_technician") {
  const a = await makePartner();
  const admin = callerFor(sessionUser(a.user));
  const email = `${uniq("inv")}@example.test`;
  const issued = await admin.users.invite({ email, name: "Ivy Invitee", role });
  return { a, admin, email, issued, token: tokenOf(issued.inviteUrl) };
}

describe("accepting an invitation", () => {
  it("describes the link, sets the password, the user signs in with the role they were given; audited", async () => {
    const { a, email, issued, token, admin } = await invited();
    expect(await anonymous.invites.get({ token })).toEqual({
      state: "valid",
      kind: "invite",
      email,
      name: "Ivy Invitee",
      partnerName: a.partner.brandName,
      expiresAt: issued.expiresAt,
    });
    // No password yet: sign-in fails like any wrong password.
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(401);

    expect(await anonymous.invites.accept({ token, password: NEW_PASSWORD })).toEqual({ email });
    const user = await getSessionUser(new Headers({ cookie: await sessionCookie(email, NEW_PASSWORD) }));
    expect(user).toMatchObject({ email, role: "partner_technician", partnerId: a.partner.id });

    const listed = (await admin.users.list({ search: email })).users[0];
    expect(listed).toMatchObject({ status: "active", inviteExpiresAt: null });
    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "user.invite_accepted", targetId: user?.id },
    });
    expect(event).toMatchObject({ partnerId: a.partner.id, actorType: "user", actorId: user?.id });
    expect(JSON.stringify(event.metadata)).not.toContain(NEW_PASSWORD);
  });

  it("refuses a password shorter than the sign-in rules allow, and the link stays usable", async () => {
    const { token } = await invited();
    await expect(anonymous.invites.accept({ token, password: "short" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/at least 10 characters/),
    });
    expect((await anonymous.invites.get({ token })).state).toBe("valid");
  });

  it("is single use: the second use is refused with a clear message (410), and the password stays the first one", async () => {
    const { email, token } = await invited();
    await anonymous.invites.accept({ token, password: NEW_PASSWORD });
    await expect(anonymous.invites.accept({ token, password: "attacker's own password" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/already been used/),
    });
    expect(await anonymous.invites.get({ token })).toMatchObject({ state: "used" });
    expect((await signIn(email, "attacker's own password")).status).toBe(401);
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
  });

  it("two submits of the same link at once: exactly one sets the password", async () => {
    const { email, token } = await invited();
    const results = await Promise.allSettled(
      ["first password here", "second password here", "third password here"].map((password) =>
        anonymous.invites.accept({ token, password }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db().userInvite.count({ where: { usedAt: { not: null }, user: { email } } })).toBe(1);
    expect(
      await db().auditEvent.count({
        where: { action: "user.invite_accepted", metadata: { path: ["email"], equals: email } },
      }),
    ).toBe(1);
  });

  it("an expired link is refused (410) and says to ask for a new one", async () => {
    const { token, issued } = await invited();
    await db().userInvite.updateMany({
      where: { userId: issued.user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await anonymous.invites.get({ token })).toMatchObject({
      state: "expired",
      message: expect.stringMatching(/expired/),
    });
    await expect(anonymous.invites.accept({ token, password: NEW_PASSWORD })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/expired.*Ask your partner admin/),
    });
    expect(await db().account.count({ where: { userId: issued.user.id } })).toBe(0);
  });

  it("an unknown or malformed token is NOT_FOUND", async () => {
    expect(await anonymous.invites.get({ token: "x".repeat(43) })).toMatchObject({ state: "unknown" });
    expect(await anonymous.invites.get({ token: "../../etc" })).toMatchObject({ state: "unknown" });
    await expect(anonymous.invites.accept({ token: "y".repeat(43), password: NEW_PASSWORD })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/not valid/),
    });
  });
});

describe("re-issuing", () => {
  it("a re-sent invitation replaces the old link: the old one is refused, the new one works", async () => {
    const { a, admin, issued, token, email } = await invited();
    const again = await admin.users.reissueInvite({ userId: issued.user.id });
    expect(again.inviteUrl).not.toBe(issued.inviteUrl);
    expect(again.user.status).toBe("invited");
    await expect(anonymous.invites.accept({ token, password: NEW_PASSWORD })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/replaced by a newer one/),
    });
    await anonymous.invites.accept({ token: tokenOf(again.inviteUrl), password: NEW_PASSWORD });
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
    expect(
      await db().auditEvent.count({
        where: { partnerId: a.partner.id, action: "user.invite_reissued", targetId: issued.user.id },
      }),
    ).toBe(1);
  });

  it("for a user who forgot their password: a reset link; the old password works until it is used, then every old session ends", async () => {
    const a = await makePartner();
    const admin = callerFor(sessionUser(a.user));
    const tech = await makeUser("partner_technician", a.partner.id);
    const oldSession = new Headers({ cookie: await sessionCookie(tech.email, PASSWORD) });

    const reset = await admin.users.reissueInvite({ userId: tech.id });
    expect(reset.user).toMatchObject({ status: "active", inviteExpiresAt: reset.expiresAt });
    expect(await anonymous.invites.get({ token: tokenOf(reset.inviteUrl) })).toMatchObject({
      state: "valid",
      kind: "password_reset",
    });
    expect((await getSessionUser(oldSession))?.id).toBe(tech.id);

    await anonymous.invites.accept({ token: tokenOf(reset.inviteUrl), password: NEW_PASSWORD });
    expect(await getSessionUser(oldSession)).toBeNull();
    expect((await signIn(tech.email, PASSWORD)).status).toBe(401);
    expect((await signIn(tech.email, NEW_PASSWORD)).status).toBe(200);
    expect(await db().account.count({ where: { userId: tech.id } })).toBe(1);
    const actions = (
      await db().auditEvent.findMany({ where: { targetId: tech.id }, orderBy: { id: "asc" }, select: { action: true } })
    ).map((e) => e.action);
    expect(actions).toEqual(["user.password_reset_issued", "user.password_reset"]);
  });

  it("a removed user's link dies with them", async () => {
    const { admin, issued, token } = await invited();
    await admin.users.remove({ userId: issued.user.id });
    expect(await anonymous.invites.get({ token })).toMatchObject({ state: "unknown" });
  });
});
