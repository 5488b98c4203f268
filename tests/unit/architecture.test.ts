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
        .filter((spec) => spec !== "zod" && !spec.startsWith("./"))
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("route handlers and tRPC procedures never touch Prisma directly", () => {
    const transport = [...sourceFiles("app"), ...sourceFiles("server/api")];
    const offenders = transport.filter((file) =>
      /\bdb\(\)\.\w+\.(find|create|update|delete|upsert|count|groupBy)/.test(
        readFileSync(path.join(root, file), "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it("only server/env.ts reads process.env in server code", () => {
    const offenders = sourceFiles("server").filter(
      (file) =>
        file !== path.join("server", "env.ts") && /process\.env/.test(readFileSync(path.join(root, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
