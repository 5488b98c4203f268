import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "../../src/crypto/secret";

describe("Secret", () => {
  it("prints as [redacted] everywhere except reveal()", () => {
    const secret = new Secret("Winter2026!");
    expect(secret.reveal()).toBe("Winter2026!");
    const shown = [
      String(secret),
      `${secret}`,
      JSON.stringify({ password: secret }),
      inspect(secret),
      inspect({ target: { password: secret } }, { depth: 5, showHidden: true }),
    ];
    for (const text of shown) expect(text).not.toContain("Winter2026!");
    expect(JSON.stringify({ password: secret })).toBe('{"password":"[redacted]"}');
  });
});
