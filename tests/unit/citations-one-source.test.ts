/**
 * A control never carries two citations in two places: no file of the product but the controls table
 * (server/contracts/compliance-controls.ts) writes a HIPAA Security Rule citation by hand; the UI, the CSV
 * and the alerts read it from the table.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TABLE = path.join("server", "contracts", "compliance-controls.ts");
const CITATION = /164\.3\d\d\s*\(/;

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return files(rel);
    return /\.(ts|tsx)$/.test(name) ? [rel] : [];
  });
}

describe("HIPAA citations", () => {
  it("are written only in the controls table", () => {
    const all = ["app", "server", "workers", path.join("appliance", "src")].flatMap(files);
    expect(all).toContain(TABLE);
    const elsewhere = all.filter((f) => f !== TABLE && CITATION.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(elsewhere).toEqual([]);
  });
});
