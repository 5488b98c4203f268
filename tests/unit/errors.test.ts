import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, conflict, ERROR_CODES, INTERNAL_ERROR_MESSAGE } from "@/server/errors";
import { toErrorResult, toResponse } from "@/server/http/respond";

const ctx = { method: "GET", path: "/api/x", requestId: "req-1" };
const toErrorResponse = (err: unknown, c: typeof ctx) => toResponse(toErrorResult(err, c));

describe("error mapping", () => {
  it.each(Object.entries(ERROR_CODES))("maps %s to its HTTP status with a JSON error", async (code, { status }) => {
    const res = toErrorResponse(new AppError(code as keyof typeof ERROR_CODES, "Do the thing."), ctx);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ error: "Do the thing." });
  });

  it("keeps headers such as Retry-After", () => {
    const res = toErrorResponse(new AppError("TOO_MANY_REQUESTS", "Slow down.", { "retry-after": "60" }), ctx);
    expect(res.headers.get("retry-after")).toBe("60");
  });

  it("turns a ZodError into a readable 400", async () => {
    const parsed = z.object({ client_name: z.string() }).safeParse({ client_name: 5 });
    const res = toErrorResponse(parsed.error, ctx);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^Invalid request: client_name: /);
  });

  it("never leaks an unknown error's message or stack", async () => {
    const err = new Error('relation "secret_table" does not exist at /srv/app/server.ts:42');
    const res = toErrorResponse(err, ctx);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: INTERNAL_ERROR_MESSAGE });
    expect(text).not.toContain("secret_table");
    expect(text).not.toContain("server.ts");
  });

  it("helpers carry their code", () => {
    expect(conflict("Taken.").status).toBe(409);
  });
});
