import { randomInt } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { POST as authPOST } from "@/app/api/auth/[...all]/route";
import { ACCOUNT_LOCK_S, ACCOUNT_MAX_FAILURES, IP_MAX_FAILURES, IP_WINDOW_S } from "@/server/auth/sign-in-limiter";
import { db, disconnectDb } from "@/server/db";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis, redis } from "@/server/redis";
import { callerFor, makePartner, makeUser, PASSWORD, sessionUser, uniq } from "../support/factories";
import { testEnv } from "../support/test-env";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

const ORIGIN = testEnv.PUBLIC_URL;
const WRONG = "not the password at all";
/** A fresh documentation-range address per test, so tests never share an IP bucket. */
const newIp = () => `2001:db8::${randomInt(1, 0xffff).toString(16)}:${randomInt(1, 0xffff).toString(16)}`;

type Post = typeof authPOST;
async function signIn(email: string, password: string, ip: string, post: Post = authPOST) {
  return post(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      // As scripts/serve.ts (and the proxy) hand it over: the socket's IP in the client-IP header.
      headers: { "content-type": "application/json", origin: ORIGIN, "x-osiris-client-ip": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function sessionCookie(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("osiris.session_token=") && !c.includes("Max-Age=0"))
    ?.split(";")[0];
}

async function failTimes(n: number, email: string, ip: string) {
  for (let i = 0; i < n; i++) expect((await signIn(email, WRONG, ip)).status).toBe(401);
}

describe("per-account lockout", () => {
  it(`locks an account after ${ACCOUNT_MAX_FAILURES} wrong passwords, refusing even the right one, with a clear message`, async () => {
    const a = await makePartner();
    const ip = newIp();
    await failTimes(ACCOUNT_MAX_FAILURES, a.email, ip);

    const res = await signIn(a.email, PASSWORD, ip);
    expect(res.status).toBe(429);
    expect(sessionCookie(res)).toBeUndefined();
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(ACCOUNT_LOCK_S);
    const body = (await res.json()) as { error: string; code: string };
    expect(body.code).toBe("ACCOUNT_LOCKED");
    expect(body.error).toMatch(
      /^Too many failed sign-ins for this account\. Try again in \d+ minutes? or ask your partner admin\.$/,
    );

    // From another address too: the lock is on the account, not the IP.
    expect((await signIn(a.email, PASSWORD, newIp())).status).toBe(429);
  });

  it("holds the lock in Redis: a fresh auth instance (another web process) refuses too, and lifting it lets the right password in", async () => {
    const a = await makePartner();
    const ip = newIp();
    await failTimes(ACCOUNT_MAX_FAILURES, a.email, ip);

    vi.resetModules();
    const fresh = (await import("@/app/api/auth/[...all]/route")).POST;
    expect((await signIn(a.email, PASSWORD, ip, fresh)).status).toBe(429);

    // The lock is the only thing refusing: remove it (as its expiry would) and the right password works.
    const locks = await redis().keys("signin:lock:acct:*");
    expect(locks.length).toBeGreaterThan(0);
    for (const key of locks) expect(await redis().ttl(key)).toBeGreaterThan(0);
    await redis().del(...locks);
    const ok = await signIn(a.email, PASSWORD, ip, fresh);
    expect(ok.status).toBe(200);
    expect(sessionCookie(ok)).toBeDefined();
  });

  it("a successful sign-in clears the account's failures", async () => {
    const a = await makePartner();
    const ip = newIp();
    await failTimes(ACCOUNT_MAX_FAILURES - 1, a.email, ip);
    expect((await signIn(a.email, PASSWORD, ip)).status).toBe(200);
    await failTimes(ACCOUNT_MAX_FAILURES - 1, a.email, ip);
    expect((await signIn(a.email, PASSWORD, ip)).status).toBe(200);
  });

  it("locks an unknown email the same way, so the answers reveal no account", async () => {
    const ip = newIp();
    const email = `${uniq("nobody")}@example.test`;
    await failTimes(ACCOUNT_MAX_FAILURES, email, ip);
    const res = await signIn(email, WRONG, ip);
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: string }).code).toBe("ACCOUNT_LOCKED");
  });
});

describe("per-IP limit", () => {
  it(`after ${IP_MAX_FAILURES} failures from one IP answers 429 with Retry-After, for any account; other IPs are unaffected`, async () => {
    const ip = newIp();
    // Spread over many (unknown) accounts, so no account lock is involved.
    for (let i = 0; i < IP_MAX_FAILURES; i++) {
      expect((await signIn(`${uniq("spray")}@example.test`, WRONG, ip)).status).toBe(401);
    }
    const a = await makePartner();
    const res = await signIn(a.email, PASSWORD, ip);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(IP_WINDOW_S);
    expect(await res.json()).toMatchObject({
      code: "TOO_MANY_FAILED_SIGN_INS",
      error: expect.stringMatching(/^Too many failed sign-ins from this address\. Try again in \d+ minutes?\.$/),
    });
    expect((await signIn(a.email, PASSWORD, newIp())).status).toBe(200);
  });
});

describe("sign-in audit", () => {
  const events = (partnerId: string | null, ip: string) =>
    db().auditEvent.findMany({ where: { partnerId, ip }, orderBy: { id: "asc" } });

  it("records a failed sign-in with the account and IP, never the password", async () => {
    const a = await makePartner();
    const ip = newIp();
    await signIn(a.email, WRONG, ip);
    const [event, ...rest] = await events(a.partner.id, ip);
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      action: "user.sign_in_failed",
      actorType: "user",
      actorId: a.user.id,
      ip,
      metadata: { email: a.email, reason: "wrong_password" },
    });
    expect(JSON.stringify(event?.metadata)).not.toContain(WRONG);
  });

  it("records an unknown account's failure with no partner and without what was typed as the email", async () => {
    const ip = newIp();
    const typed = `${uniq("typo")}@example.test`;
    await signIn(typed, WRONG, ip);
    const [event] = await events(null, ip);
    expect(event).toMatchObject({ action: "user.sign_in_failed", actorType: "anonymous", actorId: null });
    expect(JSON.stringify(event?.metadata)).not.toContain(typed);
  });

  it("records sign-in, refusals while locked, and sign-out for the partner", async () => {
    const a = await makePartner();
    const ip = newIp();
    const ok = await signIn(a.email, PASSWORD, ip);
    const cookie = sessionCookie(ok) ?? "";
    const out = await authPOST(
      new Request(`${ORIGIN}/api/auth/sign-out`, {
        method: "POST",
        headers: { cookie, origin: ORIGIN, "x-osiris-client-ip": ip },
      }),
    );
    expect(out.status).toBe(200);
    await failTimes(ACCOUNT_MAX_FAILURES, a.email, ip);
    expect((await signIn(a.email, PASSWORD, ip)).status).toBe(429);

    const actions = (await events(a.partner.id, ip)).map((e) => [e.action, (e.metadata as { reason?: string }).reason]);
    expect(actions).toEqual([
      ["user.signed_in", undefined],
      ["user.signed_out", undefined],
      ...Array.from({ length: ACCOUNT_MAX_FAILURES }, () => ["user.sign_in_failed", "wrong_password"]),
      ["user.sign_in_failed", "account_locked"],
    ]);
  });
});

describe("activity.signIns (tRPC)", () => {
  it("shows a partner admin its own users' sign-in events, newest first, paged by the server", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const ip = newIp();
    await signIn(a.email, WRONG, ip);
    await signIn(a.email, PASSWORD, ip);
    await signIn(b.email, WRONG, ip);
    const admin = callerFor(sessionUser(a.user));

    const first = await admin.activity.signIns({ limit: 1 });
    expect(first.events).toEqual([
      expect.objectContaining({ action: "user.signed_in", email: a.email, ip, reason: null }),
    ]);
    expect(first.nextCursor).not.toBeNull();
    const second = await admin.activity.signIns({ limit: 1, cursor: first.nextCursor });
    expect(second.events).toEqual([
      expect.objectContaining({ action: "user.sign_in_failed", email: a.email, ip, reason: "wrong_password" }),
    ]);
    expect(second.nextCursor).toBeNull();
    // Partner b's failure never shows up for a.
    const all = await admin.activity.signIns({ limit: 100 });
    expect(all.events.map((e) => e.email)).not.toContain(b.email);
  });

  it("refuses technicians (FORBIDDEN)", async () => {
    const a = await makePartner();
    const tech = await makeUser("partner_technician", a.partner.id);
    await expect(callerFor(sessionUser(tech)).activity.signIns({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("activity.unlock (tRPC)", () => {
  it("a partner admin lifts a locked user's lock; the right password then works, and the unlock is audited", async () => {
    const a = await makePartner();
    const tech = await makeUser("partner_technician", a.partner.id);
    const ip = newIp();
    await failTimes(ACCOUNT_MAX_FAILURES, tech.email, ip);
    expect((await signIn(tech.email, PASSWORD, ip)).status).toBe(429);

    expect(await callerFor(sessionUser(a.user)).activity.unlock({ userId: tech.id })).toEqual({ email: tech.email });
    expect((await signIn(tech.email, PASSWORD, ip)).status).toBe(200);
    const audit = await db().auditEvent.findFirst({ where: { action: "user.sign_in_unlocked", targetId: tech.id } });
    expect(audit).toMatchObject({ actorId: a.user.id, partnerId: a.partner.id });
  });

  it("refuses another partner's user (NOT_FOUND) and technicians (FORBIDDEN)", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const ip = newIp();
    await failTimes(ACCOUNT_MAX_FAILURES, b.email, ip);
    await expect(callerFor(sessionUser(a.user)).activity.unlock({ userId: b.user.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await signIn(b.email, PASSWORD, ip)).status).toBe(429);
    const tech = await makeUser("partner_technician", a.partner.id);
    await expect(callerFor(sessionUser(tech)).activity.unlock({ userId: a.user.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
