import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { publicProcedure, router } from "@/server/api/trpc";
import { conflict, INTERNAL_ERROR_MESSAGE } from "@/server/errors";

// A throw-away router built from the real procedures and error formatter.
const testRouter = router({
  greet: publicProcedure
    .input(z.object({ name: z.string().min(2, "must be at least 2 characters") }))
    .query(({ input }) => input.name),
  taken: publicProcedure.query(() => {
    throw conflict("That slug is taken. Choose another.");
  }),
  broken: publicProcedure.query(() => {
    throw new Error('duplicate key value violates unique constraint "secret_idx"');
  }),
});

async function call(path: string, input?: unknown) {
  const url = new URL(`http://x/api/trpc/${path}`);
  if (input !== undefined) url.searchParams.set("input", JSON.stringify(input));
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url),
    router: testRouter,
    createContext: () => ({ user: null, db: undefined as never }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { error: { message: string; data: Record<string, unknown> } },
  };
}

describe("tRPC error model", () => {
  it("flattens zod input errors for forms", async () => {
    const { status, body } = await call("greet", { name: "x" });
    expect(status).toBe(400);
    expect(body.error.data.zodError).toEqual({
      formErrors: [],
      fieldErrors: { name: ["must be at least 2 characters"] },
    });
    // What a form shows when it has no field of its own for the error: each field by the name the caller sent.
    expect(body.error.message).toBe("name: must be at least 2 characters");
  });

  it("maps an AppError to its tRPC code and keeps its message", async () => {
    const { status, body } = await call("taken");
    expect(status).toBe(409);
    expect(body.error.message).toBe("That slug is taken. Choose another.");
    expect(body.error.data.code).toBe("CONFLICT");
  });

  it("hides unexpected errors behind a generic message, with no stack", async () => {
    const { status, body } = await call("broken");
    expect(status).toBe(500);
    expect(body.error.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(JSON.stringify(body)).not.toContain("secret_idx");
    expect(body.error.data).not.toHaveProperty("stack");
  });
});
