import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientIp } from "@/server/http/client-ip";

describe("client IP", () => {
  const none = parseTrustedProxies("");
  const proxies = parseTrustedProxies("10.0.0.0/8, 192.0.2.1");

  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientIp("203.0.113.9", "1.2.3.4", none)).toBe("203.0.113.9");
    expect(resolveClientIp("::ffff:203.0.113.9", undefined, none)).toBe("203.0.113.9");
  });

  it("believes X-Forwarded-For only from a trusted proxy, taking the right-most untrusted hop", () => {
    expect(resolveClientIp("10.1.2.3", "6.6.6.6, 203.0.113.9", proxies)).toBe("203.0.113.9");
    expect(resolveClientIp("192.0.2.1", "6.6.6.6, 203.0.113.9, 10.9.9.9", proxies)).toBe("203.0.113.9");
    expect(resolveClientIp("198.51.100.1", "203.0.113.9", proxies)).toBe("198.51.100.1");
  });

  it("ignores garbage in X-Forwarded-For", () => {
    expect(resolveClientIp("10.1.2.3", "not-an-ip", proxies)).toBe("10.1.2.3");
  });

  it("rejects a bad TRUSTED_PROXIES entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, nonsense")).toThrow(/nonsense/);
  });
});

describe("client-IP proof (serve.ts -> proxy.ts)", () => {
  it("without serve.ts's key (a bare `next start`), no client-IP header is believed", async () => {
    const { verifiedClientIp, proveClientIp } = await import("@/server/http/client-ip");
    expect(proveClientIp("203.0.113.9")).toBeNull();
    expect(verifiedClientIp("203.0.113.9", "anything")).toBeNull();
  });

  it("with it, only the IP serve.ts signed passes; a forged or re-used proof does not", async () => {
    const { enableClientIpProof, proveClientIp, verifiedClientIp } = await import("@/server/http/client-ip");
    enableClientIpProof();
    const proof = proveClientIp("203.0.113.9") ?? "";
    expect(verifiedClientIp("203.0.113.9", proof)).toBe("203.0.113.9");
    expect(verifiedClientIp("6.6.6.6", proof)).toBeNull();
    expect(verifiedClientIp("6.6.6.6", null)).toBeNull();
    expect(verifiedClientIp("6.6.6.6", "Zm9yZ2Vk")).toBeNull();
  });
});
