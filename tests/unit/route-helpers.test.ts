import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { contrastText } from "@/app/lib/color";
import { serveWithHandler } from "@/server/http/node-bridge";
import { methods, route } from "@/server/http/route";
import { formatZodIssues } from "@/server/http/zod-message";
import { jobId } from "@/server/jobs/queues";

const ctx = { params: Promise.resolve({}) };

describe("methods()", () => {
  it("answers unimplemented methods with a JSON 405 naming the allowed ones", async () => {
    const handlers = methods({ GET: route({ auth: "public" }, async () => ({ ok: true })) });
    const res = await handlers.DELETE(new Request("http://x/api/y", { method: "DELETE" }), ctx);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(await res.json()).toEqual({ error: "Method DELETE is not allowed here. Use GET." });
    const ok = await handlers.GET(new Request("http://x/api/y"), ctx);
    expect(await ok.json()).toEqual({ ok: true });
  });
});

describe("route() body validation", () => {
  const handler = route(
    { auth: "public", body: z.object({ name: z.string().min(1) }), status: 201 },
    async ({ body }) => ({
      hello: body.name,
    }),
  );
  const post = (body: string) =>
    handler(
      new Request("http://x/api/y", { method: "POST", body, headers: { "content-type": "application/json" } }),
      ctx,
    );

  it("accepts a valid object", async () => {
    const res = await post('{"name":"clinic"}');
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ hello: "clinic" });
  });

  it.each([
    ["[1,2]", "Request body must be a JSON object."],
    ['"text"', "Request body must be a JSON object."],
    ["null", "Request body must be a JSON object."],
    ["{bad", "Request body is not valid JSON."],
  ])("rejects %s with 400", async (raw, message) => {
    const res = await post(raw);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: message });
  });

  it("names the invalid field", async () => {
    const res = await post('{"name":""}');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^Invalid request: name: /);
  });
});

describe("route() results", () => {
  it("passes a handler's own Response through with its status and headers", async () => {
    const handler = route({ auth: "public" }, async () =>
      Response.json({ status: "degraded" }, { status: 503, headers: { "x-extra": "1" } }),
    );
    const res = await handler(new Request("http://x/api/y"), ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get("x-extra")).toBe("1");
    expect(await res.json()).toEqual({ status: "degraded" });
  });
});

describe("serveWithHandler (the same handler straight from node:http)", () => {
  const handler = route({ auth: "public", body: z.object({ name: z.string() }) }, async ({ body, ip }) => ({
    hello: body.name,
    ip,
  }));
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.headers["x-osiris-client-ip"] = "192.0.2.7";
      void serveWithHandler(handler, req, res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/y`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it("answers like the Next handler: JSON, request id, client IP from the trusted header", async () => {
    const res = await fetch(base, { method: "POST", body: '{"name":"clinic"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ hello: "clinic", ip: "192.0.2.7" });
  });

  it("answers 400 for a non-object and 413 for a streamed body past the limit", async () => {
    const bad = await fetch(base, { method: "POST", body: "[1]" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "Request body must be a JSON object." });
    const big = new ReadableStream({
      start(c) {
        for (let i = 0; i < 64; i++) c.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        c.close();
      },
    });
    const res = await fetch(base, { method: "POST", body: big, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toEqual({ error: "Request body is larger than 1024 KiB." });
    // The server is fine afterwards.
    expect((await fetch(base, { method: "POST", body: '{"name":"again"}' })).status).toBe(200);
  });

  it("drains a body the handler never read, so the next request is answered", async () => {
    const ignoring = route({ auth: "public" }, async () => ({ ok: true }));
    const s = createServer((req, res) => void serveWithHandler(ignoring, req, res));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/z`;
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(url, { method: "POST", body: "x".repeat(200_000) });
        expect(await res.json()).toEqual({ ok: true });
      }
    } finally {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});

describe("small helpers", () => {
  it("formats zod issues on one line", () => {
    const r = z.object({ a: z.number(), b: z.string() }).safeParse({ a: "x", b: 1 });
    expect(formatZodIssues(r.error?.issues ?? [])).toMatch(/^Invalid request: a: .+; b: .+$/);
  });

  it("derives BullMQ job ids without ':'", () => {
    expect(jobId("enumerate", "site-1-84:3A:5B:91:B6:61")).toBe("enumerate__site-1-843A5B91B661");
  });

  it("picks readable text on brand colours", () => {
    expect(contrastText("#2563EB")).toBe("#FFFFFF");
    expect(contrastText("#FDE047")).toBe("#000000");
  });
});
