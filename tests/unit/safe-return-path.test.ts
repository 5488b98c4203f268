import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_PATH, safeReturnPath } from "@/app/sign-in/safe-return-path";

describe("sign-in return path", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeReturnPath("/sites/abc")).toBe("/sites/abc");
    expect(safeReturnPath("/provision-codes?x=1#new")).toBe("/provision-codes?x=1#new");
    expect(safeReturnPath("/dashboard")).toBe("/dashboard");
  });

  it.each([
    "/\\evil.example",
    "//evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%2F/evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/\tevil",
    " //evil.example",
    "\\\\evil.example",
    "evil.example",
    "/%E0%A4%A", // not decodable
    "",
    undefined,
    ["/dashboard"],
  ])("sends %j to the dashboard", (raw) => {
    expect(safeReturnPath(raw)).toBe(DEFAULT_RETURN_PATH);
  });
});
