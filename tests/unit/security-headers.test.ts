import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { largestBodyLimit } from "@/server/http/body";
import { API_CSP, cspKindFor, pageCsp, QUEUE_BOARD_CSP } from "@/server/http/security-headers";

const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `)) ?? "";

describe("content security policy", () => {
  it("pages: scripts and styles only with the nonce, never inline; nothing may frame them", () => {
    const csp = pageCsp("abc123");
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directive(csp, "style-src")).toBe("style-src 'self' 'nonce-abc123'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
  });

  it("API answers load nothing and cannot be framed; the queue board runs no inline script", () => {
    expect(API_CSP).toContain("default-src 'none'");
    expect(API_CSP).toContain("frame-ancestors 'none'");
    expect(directive(QUEUE_BOARD_CSP, "script-src")).toBe("script-src 'self'");
  });

  it("picks the policy by path", () => {
    expect(cspKindFor("/api/health")).toBe("api");
    expect(cspKindFor("/api")).toBe("api");
    expect(cspKindFor("/apiary")).toBe("page");
    expect(cspKindFor("/admin/queues/api/queues")).toBe("queue-board");
    expect(cspKindFor("/sign-in")).toBe("page");
  });
});

describe("next.config", () => {
  it("buffers more than the largest route body limit for the proxy, so route() still sees oversized bodies", () => {
    expect(Number(nextConfig.experimental?.proxyClientMaxBodySize)).toBeGreaterThan(largestBodyLimit());
  });
});
