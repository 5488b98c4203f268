import { afterAll, describe, expect, it } from "vitest";
import { GET as queuesGET } from "@/app/admin/queues/[[...path]]/route";
import { POST as authPOST } from "@/app/api/auth/[...all]/route";
import { getSessionUser } from "@/server/auth/session";
import { db, disconnectDb } from "@/server/db";
import { closeQueues } from "@/server/jobs/queues";
import { makePartner, makeUser, PASSWORD } from "../support/factories";
import { testEnv } from "../support/test-env";

afterAll(async () => {
  await closeQueues();
  await disconnectDb();
});

const ORIGIN = testEnv.PUBLIC_URL;

async function signIn(email: string, password: string) {
  return authPOST(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieFrom(res: Response): string {
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("osiris.session_token="));
  if (!setCookie) throw new Error("no session cookie");
  return setCookie.split(";")[0] ?? "";
}

describe("partner sign-in", () => {
  it("signs in with the right password and sets an HTTP-only session cookie", async () => {
    const a = await makePartner();
    const res = await signIn(a.email, PASSWORD);
    expect(res.status).toBe(200);
    const raw = res.headers.getSetCookie().find((c) => c.startsWith("osiris.session_token="));
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    const user = await getSessionUser(new Headers({ cookie: cookieFrom(res) }));
    expect(user).toMatchObject({ email: a.email, role: "partner_admin", partnerId: a.partner.id });
  });

  it("refuses a wrong password with a JSON error and no cookie", async () => {
    const a = await makePartner();
    const res = await signIn(a.email, "wrong password here");
    expect(res.status).toBe(401);
    expect(
      res.headers.getSetCookie().some((c) => c.startsWith("osiris.session_token=") && !c.includes("Max-Age=0")),
    ).toBe(false);
    expect(await res.json()).toMatchObject({ error: "Invalid email or password" });
  });

  it("refuses sign-up: accounts are created by admins only", async () => {
    const res = await authPOST(
      new Request(`${ORIGIN}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({ email: "intruder@example.test", password: "whatever-password", name: "x" }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await db().user.findUnique({ where: { email: "intruder@example.test" } })).toBeNull();
  });

  it("stores an argon2id hash, not the password", async () => {
    const a = await makePartner();
    const account = await db().account.findFirstOrThrow({ where: { userId: a.user.id } });
    expect(account.password).toMatch(/^\$argon2id\$/);
  });

  it("audits each sign-in", async () => {
    const a = await makePartner();
    await signIn(a.email, PASSWORD);
    const events = await db().auditEvent.findMany({ where: { actorId: a.user.id, action: "user.signed_in" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.partnerId).toBe(a.partner.id);
  });
});

describe("/admin/queues", () => {
  const board = (cookie?: string) =>
    queuesGET(new Request(`${ORIGIN}/admin/queues/api/queues`, { headers: cookie ? { cookie } : {} }));

  it("refuses anonymous visitors with 401", async () => {
    const res = await board();
    expect(res.status).toBe(401);
    expect(await res.json()).toHaveProperty("error");
  });

  it("refuses partner users with 403", async () => {
    const a = await makePartner();
    const res = await board(cookieFrom(await signIn(a.email, PASSWORD)));
    expect(res.status).toBe(403);
  });

  it("shows platform admins every queue", async () => {
    const admin = await makeUser("platform_admin", null);
    const res = await board(cookieFrom(await signIn(admin.email, PASSWORD)));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(["enumeration", "maintenance", "triggers"]);
  });
});
