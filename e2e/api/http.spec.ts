import { expect, test } from "@playwright/test";
import { fixtures } from "../fixtures";

test.describe("REST API as a black box", () => {
  test("health is ok", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok", redis: "ok" });
  });

  test("GET /api/partners/me answers the token's partner, and only with a valid token", async ({ request }) => {
    const f = fixtures();
    const mine = await request.get("/api/partners/me", { headers: { authorization: `Bearer ${f.nepa.token}` } });
    expect(mine.status()).toBe(200);
    expect(await mine.json()).toEqual({ slug: "nepa-it", brand_name: "NEPA IT Solutions", primary_color: "#2563EB" });
    const theirs = await request.get("/api/partners/me", { headers: { authorization: `Bearer ${f.other.token}` } });
    expect(((await theirs.json()) as { slug: string }).slug).toBe("other-msp");
    const none = await request.get("/api/partners/me");
    expect(none.status()).toBe(401);
    expect(await none.json()).toHaveProperty("error");
  });

  test("unrouted paths and methods get JSON 404/405, not HTML", async ({ request }) => {
    for (const [method, path] of [
      ["GET", "/api/does-not-exist"],
      ["POST", "/api/provision/nothing/here"],
      ["DELETE", "/api/x"],
    ] as const) {
      const res = await request.fetch(path, { method });
      expect(res.status()).toBe(404);
      expect(res.headers()["content-type"]).toContain("application/json");
      expect(await res.json()).toEqual({ error: `No API endpoint at ${method} ${path}.` });
    }
    const res = await request.post("/api/health", { data: {} });
    expect(res.status()).toBe(405);
    expect(await res.json()).toEqual({ error: "Method POST is not allowed here. Use GET." });
  });

  test("bodies over 1 MiB get 413 before anything else (even without credentials)", async ({ request }) => {
    const res = await request.post("/api/partners/me", {
      data: Buffer.alloc(1024 * 1024 + 1, 0x20),
      headers: { "content-type": "application/json" },
    });
    expect(res.status()).toBe(413);
    expect(await res.json()).toEqual({ error: "Request body is larger than 1024 KiB." });
  });

  test("/admin/queues: 401 anonymous, 403 partner, 200 platform admin", async ({ playwright, baseURL }) => {
    const f = fixtures();
    const anon = await playwright.request.newContext({ baseURL });
    expect((await anon.get("/admin/queues")).status()).toBe(401);

    const signIn = async (email: string) => {
      const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL ?? "" } });
      const res = await ctx.post("/api/auth/sign-in/email", { data: { email, password: f.password } });
      expect(res.status()).toBe(200);
      return ctx;
    };
    const partner = await signIn(f.nepa.email);
    const refused = await partner.get("/admin/queues");
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toEqual({ error: "Only platform admins can see the queues." });

    const admin = await signIn(f.platformAdmin.email);
    const board = await admin.get("/admin/queues");
    expect(board.status()).toBe(200);
    expect(await board.text()).toContain("/admin/queues");
    const queues = (await (await admin.get("/admin/queues/api/queues")).json()) as { queues: Array<{ name: string }> };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(["enumeration", "maintenance", "triggers"]);
  });
});
