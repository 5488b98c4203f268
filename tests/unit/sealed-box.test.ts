import { describe, expect, it } from "vitest";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { unsealSecret } from "@/appliance/src/crypto/sealed-box";
import { randomFromPool } from "@/server/domain/security/random-pool";
import { clearSealingKeys, createSealer } from "@/server/domain/security/sealed-box";

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

  it("seals each secret with a fresh nonce under one ephemeral key per appliance, renewed after 10 minutes", () => {
    clearSealingKeys();
    const first = createSealer(pair.publicKeyBase64, "a", 0);
    const [x, y] = [layout(first("one", target)), layout(first("two", target))];
    expect(x.version).toBe(2);
    expect(x.ephemeral).toBe(y.ephemeral);
    expect(x.nonce).not.toBe(y.nonce);
    // The next response to the same appliance within 10 minutes shares the ephemeral key…
    expect(layout(createSealer(pair.publicKeyBase64, "a", 9 * 60_000)("one", target)).ephemeral).toBe(x.ephemeral);
    // …another appliance, a new public key (a rekey) or a later response gets a new one, and every box opens.
    const other = deriveApplianceKeys(generateRootSecret()).keyPair;
    const renewed = [
      createSealer(pair.publicKeyBase64, "b", 1)("one", target),
      createSealer(other.publicKeyBase64, "a", 2)("one", target),
      createSealer(pair.publicKeyBase64, "a", 10 * 60_000 + 1)("one", target),
    ];
    for (const sealed of renewed) expect(layout(sealed).ephemeral).not.toBe(x.ephemeral);
    expect(unsealSecret(renewed[0] as string, pair.privateKey, { ...binding, applianceId: "b" })).toBe("one");
    expect(unsealSecret(renewed[1] as string, other.privateKey, { ...binding, applianceId: "a" })).toBe("one");
    expect(unsealSecret(renewed[2] as string, pair.privateKey, { ...binding, applianceId: "a" })).toBe("one");
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
