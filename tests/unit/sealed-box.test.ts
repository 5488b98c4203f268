import { describe, expect, it } from "vitest";
import { deriveApplianceKeyPair } from "@/appliance/src/crypto/appliance-key";
import { unsealSecret } from "@/appliance/src/crypto/sealed-box";
import { randomFromPool } from "@/server/domain/security/random-pool";
import { createSealer } from "@/server/domain/security/sealed-box";

const layout = (sealed: string) => {
  const b = Buffer.from(sealed, "base64");
  return { version: b[0], ephemeral: b.subarray(1, 33).toString("hex"), nonce: b.subarray(33, 45).toString("hex") };
};

describe("the server's sealer", () => {
  const pair = deriveApplianceKeyPair("k".repeat(32));

  it("seals what the appliance opens, bound to the appliance id", () => {
    const seal = createSealer(pair.publicKeyBase64, "site-1-02:00:00:00:00:01");
    const sealed = seal("Winter2026!");
    expect(unsealSecret(sealed, pair.privateKey, "site-1-02:00:00:00:00:01")).toBe("Winter2026!");
    expect(() => unsealSecret(sealed, pair.privateKey, "site-1-02:00:00:00:00:02")).toThrow();
  });

  it("uses one ephemeral key per response, a fresh nonce per secret, and a fresh key per response", () => {
    const first = createSealer(pair.publicKeyBase64, "a");
    const [x, y] = [layout(first("one")), layout(first("two"))];
    expect(x.version).toBe(1);
    expect(x.ephemeral).toBe(y.ephemeral);
    expect(x.nonce).not.toBe(y.nonce);
    expect(layout(createSealer(pair.publicKeyBase64, "a")("one")).ephemeral).not.toBe(x.ephemeral);
  });
});

describe("randomFromPool", () => {
  it("hands out distinct values of the asked length, across refills", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const v = randomFromPool(12);
      expect(v).toHaveLength(12);
      seen.add(v.toString("hex"));
    }
    expect(seen.size).toBe(2000);
  });

  it("serves large requests in full", () => {
    expect(randomFromPool(5000)).toHaveLength(5000);
  });

  it("returns copies: changing one does not change the next", () => {
    const a = randomFromPool(12);
    a.fill(0);
    expect(randomFromPool(12).equals(Buffer.alloc(12))).toBe(false);
  });
});
