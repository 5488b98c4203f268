/** Dependency rules that keep the architecture easy to see. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  return readdirSync(abs).flatMap((name) => {
    const full = path.join(abs, name);
    const rel = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" || name === "node_modules" ? [] : sourceFiles(rel);
    return /\.(ts|tsx)$/.test(name) ? [rel] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1] ?? "");
}

/** Calls the global fetch (not a method called fetch, nor prefetch). */
function callsFetch(text: string): boolean {
  return /(?:^|[^\w.$]|globalThis\.)fetch\s*\(/m.test(text);
}

/** A Prisma call through the tRPC context (ctx.db.site.findMany…); passing ctx.db to a domain function is fine. */
function usesContextDb(text: string): boolean {
  return /\bctx\.db\s*\.\s*[\w$]/.test(text);
}

/** A Prisma call on the db() client (db().site.findMany…). */
function callsPrismaDirectly(text: string): boolean {
  return /\bdb\(\)\.\w+\.(find|create|update|delete|upsert|count|groupBy|aggregate)/.test(text);
}

function parsesBearer(text: string): boolean {
  return /\^Bearer\\s/.test(text);
}

function readsProcessEnv(text: string): boolean {
  return /\bprocess\.env\b/.test(text);
}

function read(file: string): string {
  return readFileSync(path.join(root, file), "utf8");
}

function resolveImport(file: string, spec: string): string | null {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (spec.startsWith(".")) return path.relative(root, path.resolve(root, path.dirname(file), spec));
  return null; // a package
}

describe("architecture", () => {
  it("appliance/ imports nothing from server/ except server/contracts", () => {
    const offenders = sourceFiles("appliance").flatMap((file) =>
      importsOf(file)
        .map((spec) => ({ spec, target: resolveImport(file, spec) }))
        .filter(({ target }) => target?.startsWith("server/") && !target.startsWith("server/contracts"))
        .map(({ spec }) => `${file} -> ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("server/contracts/ is pure zod: it imports only zod and itself", () => {
    const offenders = sourceFiles("server/contracts").flatMap((file) =>
      importsOf(file)
        .filter(
          (spec) =>
            spec !== "zod" && !(spec.startsWith(".") && resolveImport(file, spec)?.startsWith("server/contracts")),
        )
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("route handlers, tRPC procedures and scripts never touch Prisma directly", () => {
    const transport = [...sourceFiles("app"), ...sourceFiles("server/api"), ...sourceFiles("scripts")];
    const offenders = transport.filter((file) => callsPrismaDirectly(read(file)));
    expect(offenders).toEqual([]);
  });

  it("tRPC procedures never use ctx.db.<model> (Prisma calls belong in server/domain)", () => {
    const offenders = sourceFiles("server/api/routers").filter((file) => usesContextDb(read(file)));
    expect(offenders).toEqual([]);
  });

  it("only server/env.ts reads process.env in server code and scripts (launchers aside)", () => {
    // The launchers build their children's environment (PORT, E2E_*, DATABASE_URL for migrations).
    const allowed = new Set([
      "server/env.ts",
      "scripts/start.ts",
      "scripts/test.ts",
      "scripts/e2e-server.ts",
      "scripts/lib/services.ts",
    ]);
    const offenders = [...sourceFiles("server"), ...sourceFiles("scripts")].filter(
      (file) => !allowed.has(file) && readsProcessEnv(read(file)),
    );
    expect(offenders).toEqual([]);
  });

  it("only appliance/src/main.ts reads process.env in the appliance (config/env.ts parses what it hands over)", () => {
    const offenders = sourceFiles("appliance/src").filter(
      (file) => file !== "appliance/src/main.ts" && readsProcessEnv(read(file)),
    );
    expect(offenders).toEqual([]);
  });

  it("only appliance/src/central-command/ calls fetch in the appliance", () => {
    const offenders = sourceFiles("appliance/src").filter(
      (file) => !file.startsWith("appliance/src/central-command/") && callsFetch(read(file)),
    );
    expect(offenders).toEqual([]);
    // The rule has something to protect: the one client does call fetch.
    expect(sourceFiles("appliance/src/central-command").some((file) => callsFetch(read(file)))).toBe(true);
  });

  it("the appliance's reports are sent by its outbox only (appliance/src/outbox/ declares them), never posted directly", () => {
    // The endpoints of the report kinds, as ENDPOINTS.<name> in report-kinds.ts.
    const kinds = read("appliance/src/outbox/report-kinds.ts");
    const reportEndpoints = [...kinds.matchAll(/endpoint:\s*ENDPOINTS\.(\w+)/g)].map((m) => m[1] ?? "");
    expect(reportEndpoints).toEqual(expect.arrayContaining(["enumerationResults", "scanResults"]));
    const offenders = sourceFiles("appliance/src").filter((file) => {
      if (file.startsWith("appliance/src/outbox/") || file.startsWith("appliance/src/central-command/")) return false;
      const text = read(file);
      return reportEndpoints.some((name) => new RegExp(`ENDPOINTS\\.${name}\\b`).test(text));
    });
    expect(offenders).toEqual([]);
  });

  it("only appliance/src/winrm/http/ speaks HTTP to Windows hosts in the appliance (node:http, node:https)", () => {
    // Central Command is reached with fetch (rule above); WinRM needs one keep-alive socket per host, which the
    // NTLM login is bound to, so it uses node:http/https directly, and only there.
    const offenders = sourceFiles("appliance/src").filter(
      (file) =>
        !file.startsWith("appliance/src/winrm/http/") &&
        importsOf(file).some((spec) => spec === "node:http" || spec === "node:https"),
    );
    expect(offenders).toEqual([]);
    expect(importsOf("appliance/src/winrm/http/winrm-connection.ts")).toContain("node:https");
  });

  it("the Authorization: Bearer header is parsed in one place on the server (server/http/bearer.ts)", () => {
    const parsers = ["app", "server", "scripts"].flatMap(sourceFiles).filter((file) => parsesBearer(read(file)));
    expect(parsers).toEqual(["server/http/bearer.ts"]);
  });
});

describe("the architecture checks' scanners catch what they look for", () => {
  it("callsFetch", () => {
    expect(callsFetch('const res = await fetch(url, { method: "POST" });')).toBe(true);
    expect(callsFetch("return fetch (url)")).toBe(true);
    expect(callsFetch("globalThis.fetch(url)")).toBe(true);
    expect(callsFetch("queryClient.prefetch(opts); router.fetch(x); // we fetch later")).toBe(false);
  });

  it("usesContextDb", () => {
    expect(usesContextDb("list: partnerProcedure.query(({ ctx }) => ctx.db.site.findMany())")).toBe(true);
    expect(usesContextDb("ctx.db.$transaction(async (tx) => {})")).toBe(true);
    expect(usesContextDb("({ ctx }) => listSites(ctx.db, ctx.partnerId)")).toBe(false);
  });

  it("callsPrismaDirectly", () => {
    expect(callsPrismaDirectly("await db().partner.findMany({ where })")).toBe(true);
    expect(callsPrismaDirectly("await db().siteCredential.aggregate({})")).toBe(true);
    expect(callsPrismaDirectly("await listSites(db(), partnerId)")).toBe(false);
  });

  it("parsesBearer", () => {
    expect(parsesBearer("authorization?.match(/^Bearer\\s+(\\S+)$/i)")).toBe(true);
    expect(parsesBearer("const key = parseBearer(authorization);")).toBe(false);
  });

  it("readsProcessEnv", () => {
    expect(readsProcessEnv("const url = process.env.DATABASE_URL;")).toBe(true);
    expect(readsProcessEnv("const { PORT } = process.env;")).toBe(true);
    expect(readsProcessEnv("const env = getEnv();")).toBe(false);
  });

  it("sourceFiles walks scripts/ and nested folders", () => {
    expect(sourceFiles("scripts")).toContain("scripts/lib/services.ts");
    expect(sourceFiles("appliance/src")).toContain("appliance/src/central-command/call-api.ts");
  });
});
