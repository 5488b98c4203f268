import { createPublicKey, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { X25519PublicKey } from "../../../server/contracts";
import {
  APPLIANCE_KEY_INFO,
  APPLIANCE_KEY_SALT,
  deriveApplianceKeyPair,
  rawPublicKey,
} from "../../src/crypto/appliance-key";
import { generateApiKey } from "../../src/provisioning/claim-provision-code";

import { KAT } from "../support/crypto-known-answers";

function pkcs8Raw(key: ReturnType<typeof deriveApplianceKeyPair>["privateKey"]): Buffer {
  return key.export({ format: "der", type: "pkcs8" }).subarray(16);
}

describe("deriveApplianceKeyPair", () => {
  it("is deterministic: the same API key always gives the same key pair", () => {
    const apiKey = generateApiKey();
    const a = deriveApplianceKeyPair(apiKey);
    const b = deriveApplianceKeyPair(apiKey);
    expect(a.publicKeyBase64).toBe(b.publicKeyBase64);
    expect(pkcs8Raw(a.privateKey).equals(pkcs8Raw(b.privateKey))).toBe(true);
  });

  it("derives the private key with HKDF-SHA256 from the API key, salt and info of the spec", () => {
    const apiKey = generateApiKey();
    const expected = Buffer.from(hkdfSync("sha256", apiKey, APPLIANCE_KEY_SALT, APPLIANCE_KEY_INFO, 32));
    const { privateKey } = deriveApplianceKeyPair(apiKey);
    expect(privateKey.asymmetricKeyType).toBe("x25519");
    expect(pkcs8Raw(privateKey).equals(expected)).toBe(true);
    expect(APPLIANCE_KEY_SALT).toBe("osiriscare appliance x25519");
    expect(APPLIANCE_KEY_INFO).toBe("x25519 private key v1");
  });

  it("matches an independent implementation (known answer)", () => {
    expect(deriveApplianceKeyPair(KAT.apiKey).publicKeyBase64).toBe(KAT.publicKey);
  });

  it("gives a public key that matches the contract: padded standard base64 of the raw 32 bytes", () => {
    for (let i = 0; i < 50; i++) {
      const { privateKey, publicKeyBase64 } = deriveApplianceKeyPair(generateApiKey());
      expect(publicKeyBase64).toHaveLength(44);
      expect(publicKeyBase64.endsWith("=")).toBe(true);
      expect(X25519PublicKey.safeParse(publicKeyBase64).success).toBe(true);
      const raw = Buffer.from(publicKeyBase64, "base64");
      expect(raw).toHaveLength(32);
      expect(raw.equals(rawPublicKey(createPublicKey(privateKey)))).toBe(true);
    }
  });

  it("gives different keys for different API keys", () => {
    const keys = new Set(Array.from({ length: 200 }, () => deriveApplianceKeyPair(generateApiKey()).publicKeyBase64));
    expect(keys.size).toBe(200);
  });
});
