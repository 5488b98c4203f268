import { describe, expect, it } from "vitest";
import { requiredTokenScope } from "@/server/http/route";

describe("requiredTokenScope (safe by default)", () => {
  it("lets read tokens read and asks for a full token for anything else", () => {
    expect(requiredTokenScope("GET")).toBe("read");
    expect(requiredTokenScope("HEAD")).toBe("read");
    for (const m of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"])
      expect(requiredTokenScope(m)).toBe("full");
  });

  it("honours a route's explicit declaration", () => {
    expect(requiredTokenScope("POST", "read")).toBe("read");
    expect(requiredTokenScope("GET", "full")).toBe("full");
  });
});
