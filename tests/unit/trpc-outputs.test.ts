/**
 * Every tRPC procedure declares its output (found by walking the app router, so a procedure added without
 * `.output()` fails here): the UI receives exactly what the schema allows, in one naming convention
 * (camelCase), and no schema lets a password, hash or key through.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { camelKeys } from "@/server/api/camel-keys";
import { appRouter } from "@/server/api/root";
import { publicProcedure, router } from "@/server/api/trpc";

type AnyRouter = { _def: { procedures: Record<string, { _def: { output?: unknown } }> } };

/** Each procedure path with its output schema (undefined when it declares none). */
function outputsOf(r: AnyRouter): Array<[string, unknown]> {
  return Object.entries(r._def.procedures)
    .map(([path, proc]): [string, unknown] => [path, proc._def.output])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Every object key an output schema declares, at any depth. */
function declaredKeys(schema: unknown): string[] {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    if (!Array.isArray(node) && obj.properties && typeof obj.properties === "object") {
      for (const k of Object.keys(obj.properties)) keys.add(k);
    }
    for (const child of Object.values(obj)) walk(child);
  };
  walk(z.toJSONSchema(schema as z.ZodType, { io: "output" }));
  return [...keys];
}

const CAMEL = /^[a-z][a-zA-Z0-9]*$/;
/** Names that would carry a secret or what protects one. (apiTokens.create's `token` is shown once, by design.) */
const SECRET = /password|hash|cipher|secret|encrypt|wrapped|nonce|salt|apikey|privatekey|^dek|^kek/i;

const paths = outputsOf(appRouter as unknown as AnyRouter);

describe("tRPC outputs", () => {
  it("finds the procedures by walking the router", () => {
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.map(([p]) => p)).toContain("sites.get");
  });

  it("every procedure declares an output schema", () => {
    expect(paths.filter(([, output]) => output === undefined).map(([p]) => p)).toEqual([]);
  });

  it("every output field is camelCase", () => {
    const offenders = paths.flatMap(([p, output]) =>
      output
        ? declaredKeys(output)
            .filter((k) => !CAMEL.test(k))
            .map((k) => `${p}: ${k}`)
        : [],
    );
    expect(offenders).toEqual([]);
  });

  it("no output declares a password, hash or key", () => {
    const offenders = paths.flatMap(([p, output]) =>
      output
        ? declaredKeys(output)
            .filter((k) => SECRET.test(k))
            .map((k) => `${p}: ${k}`)
        : [],
    );
    expect(offenders).toEqual([]);
  });
});

describe("the output checks catch what they look for", () => {
  const testRouter = router({
    declared: publicProcedure.output(z.object({ siteId: z.string() })).query(() => ({ siteId: "s" })),
    undeclared: publicProcedure.query(() => ({ site_id: "s" })),
    nested: router({
      leaky: publicProcedure
        .output(z.object({ row: z.object({ code_hash: z.string() }) }))
        .query(() => ({ row: { code_hash: "x" } })),
    }),
  });
  const found = outputsOf(testRouter as unknown as AnyRouter);

  it("flags a procedure without an output, even in a nested router", () => {
    expect(found.map(([p]) => p)).toEqual(["declared", "nested.leaky", "undeclared"]);
    expect(found.filter(([, o]) => o === undefined).map(([p]) => p)).toEqual(["undeclared"]);
  });

  it("sees nested keys: snake_case and secret-looking ones", () => {
    const keys = declaredKeys(found.find(([p]) => p === "nested.leaky")?.[1]);
    expect(keys.sort()).toEqual(["code_hash", "row"]);
    expect(keys.filter((k) => !CAMEL.test(k))).toEqual(["code_hash"]);
    expect(keys.filter((k) => SECRET.test(k))).toEqual(["code_hash"]);
  });

  it("an output schema strips what it does not declare", async () => {
    const r = router({
      p: publicProcedure
        .output(z.object({ id: z.string() }))
        .query(() => ({ id: "1", codeHash: "secret" }) as { id: string }),
    });
    const caller = r.createCaller({ user: null, db: undefined as never });
    expect(await caller.p()).toEqual({ id: "1" });
  });
});

describe("camelKeys", () => {
  it("renames keys at every depth and leaves values alone", () => {
    expect(
      camelKeys({
        site_id: "s_1",
        recent_appliances: [{ last_checkin_at: null, site: { client_name: "user.signed_in" } }],
        count: 2,
      }),
    ).toEqual({
      siteId: "s_1",
      recentAppliances: [{ lastCheckinAt: null, site: { clientName: "user.signed_in" } }],
      count: 2,
    });
    expect(camelKeys([{ uptime_s: 5, first_released_at: "x" }])).toEqual([{ uptimeS: 5, firstReleasedAt: "x" }]);
    expect(camelKeys("plain_string")).toBe("plain_string");
  });
});
