import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NewPartnerSlug, PartnerSlug, RESERVED_PARTNER_SLUGS } from "@/server/contracts";

const APP = path.resolve("app");

/** True when a page or route handler lives at or below `dir`. */
function routes(dir: string): boolean {
  return readdirSync(dir).some((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routes(full) : /^(page|route)\.tsx?$/.test(name);
  });
}

/** The first path segments the app serves: its top-level folders, route groups opened, dynamic ones left out. */
function topLevelSegments(dir = APP): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (!statSync(full).isDirectory() || name.startsWith("[") || name.startsWith("_")) return [];
    if (name.startsWith("(")) return topLevelSegments(full);
    return routes(full) ? [name] : [];
  });
}

describe("partner slugs and the app's own paths (/<slug>/sign-in)", () => {
  it("reserves every top-level route of app/, so no partner's sign-in path is hidden by a page", () => {
    expect(existsSync(path.join(APP, "[slug]", "sign-in", "page.tsx"))).toBe(true);
    const segments = topLevelSegments();
    expect(segments).toContain("dashboard");
    expect(segments).toContain("api");
    expect([...RESERVED_PARTNER_SLUGS].sort()).toEqual(segments.filter((s) => PartnerSlug.safeParse(s).success).sort());
  });

  it("refuses a reserved slug for a new partner, with a reason, and keeps accepting others", () => {
    const refused = NewPartnerSlug.safeParse("dashboard");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain("page of the console");
    expect(NewPartnerSlug.parse("nepa-it")).toBe("nepa-it");
    // Existing partners are read with the plain schema: a stored slug never fails to parse.
    expect(PartnerSlug.parse("dashboard")).toBe("dashboard");
  });
});
