import { expect, test } from "@playwright/test";
import pg from "pg";
import { fixtures } from "../fixtures";

function expectBaseHeaders(headers: Record<string, string>) {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
}

test.describe("security headers on API answers", () => {
  test("JSON answers from Next, the node:http check-in and the early 413 all carry them", async ({ request }) => {
    const answers = [
      await request.get("/api/health"),
      await request.get("/api/does-not-exist"),
      await request.get("/api/partners/me"),
      // Served by scripts/serve.ts straight from node:http, not through Next.
      await request.post("/api/appliances/checkin", { data: {} }),
      await request.post("/api/partners/me", {
        data: Buffer.alloc(1024 * 1024 + 1, 0x20),
        headers: { "content-type": "application/json" },
      }),
    ];
    expect(answers.map((r) => r.status())).toEqual([200, 404, 401, 401, 413]);
    for (const res of answers) {
      expectBaseHeaders(res.headers());
      expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
    }
  });

  test("no HSTS over plain HTTP, even when an untrusted client claims X-Forwarded-Proto: https", async ({
    request,
  }) => {
    const res = await request.get("/api/health", { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers()["strict-transport-security"]).toBeUndefined();
  });
});

test("a client that sends x-osiris-client-ip (and a made-up proof) itself cannot change the IP the audit log sees", async ({
  playwright,
  baseURL,
}) => {
  const f = fixtures();
  const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL ?? "" } });
  const res = await ctx.post("/api/auth/sign-in/email", {
    data: { email: f.technician.email, password: "definitely not it" },
    headers: {
      "x-osiris-client-ip": "203.0.113.77",
      "x-osiris-client-ip-proof": "Zm9yZ2VkLXByb29m",
      "x-forwarded-for": "203.0.113.78",
    },
  });
  expect(res.status()).toBe(401);
  const client = new pg.Client({ connectionString: f.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ip: string }>(
      `SELECT ip FROM audit_events WHERE action = 'user.sign_in_failed' AND metadata->>'email' = $1
       ORDER BY id DESC LIMIT 1`,
      [f.technician.email],
    );
    expect(rows[0]?.ip).toBe("127.0.0.1");
  } finally {
    await client.end();
  }
});
