import { describe, expect, it } from "vitest";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { unsealSecret } from "@/appliance/src/crypto/sealed-box";
import { randomFromPool } from "@/server/domain/security/random-pool";
import { createSealer } from "@/server/domain/security/sealed-box";

const layout = (sealed: string) => {
  const b = Buffer.from(sealed, "base64");
  return { version: b[0], ephemeral: b.subarray(1, 33).toString("hex"), nonce: b.subarray(33, 45).toString("hex") };
};

describe("the server's sealer", () => {
  const pair = deriveApplianceKeys(generateRootSecret()).keyPair;
  const binding = {
    applianceId: "site-1-02:00:00:00:00:01",
    credentialId: "cred-1",
    hostname: "fs01.clinic.local",
    username: "CLINIC\\svc-scan",
  };
  const target = { credentialId: binding.credentialId, hostname: binding.hostname, username: binding.username };

  it("seals what the appliance opens with the same binding", () => {
    const sealed = createSealer(pair.publicKeyBase64, binding.applianceId)("Winter2026!", target);
    expect(unsealSecret(sealed, pair.privateKey, binding)).toBe("Winter2026!");
  });

  it.each([
    ["another appliance", { applianceId: "site-1-02:00:00:00:00:02" }],
    ["another credential", { credentialId: "cred-2" }],
    ["another host", { hostname: "evil.example" }],
    ["another user", { username: "CLINIC\\administrator" }],
    // Length-prefixed fields: moving characters between fields is a different binding.
    ["the same characters split differently", { hostname: "fs01.clinic.localC", username: "LINIC\\svc-scan" }],
  ])("refuses an envelope moved to %s", (_name, change) => {
    const sealed = createSealer(pair.publicKeyBase64, binding.applianceId)("Winter2026!", target);
    expect(() => unsealSecret(sealed, pair.privateKey, { ...binding, ...change })).toThrow(/failed authentication/);
  });

  it("uses one ephemeral key per response, a fresh nonce per secret, and a fresh key per response", () => {
    const first = createSealer(pair.publicKeyBase64, "a");
    const [x, y] = [layout(first("one", target)), layout(first("two", target))];
    expect(x.version).toBe(2);
    expect(x.ephemeral).toBe(y.ephemeral);
    expect(x.nonce).not.toBe(y.nonce);
    expect(layout(createSealer(pair.publicKeyBase64, "a")("one", target)).ephemeral).not.toBe(x.ephemeral);
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

  it("returns copies that keep their value when the pool is wiped and refilled", () => {
    const a = randomFromPool(12);
    const snapshot = Buffer.from(a);
    // Drain the 4 KiB pool past a refill: a view into the pool would now be zeros or new bytes.
    for (let i = 0; i < 700; i++) randomFromPool(12);
    expect(a.equals(snapshot)).toBe(true);
    expect(a.equals(Buffer.alloc(12))).toBe(false);
  });
});
