import { describe, expect, it } from "vitest";
import { z } from "zod";
import { contrastText } from "@/app/lib/color";
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
