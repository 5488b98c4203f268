import { createPublicKey, hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ApplianceApiKey, ApplianceRootSecret, X25519PublicKey } from "../../../server/contracts";
import {
  API_KEY_INFO,
  APPLIANCE_KEY_INFO,
  APPLIANCE_KEY_SALT,
  deriveApplianceKeyPair,
  deriveApplianceKeys,
  generateRootSecret,
  KEY_DERIVATION_SALT,
  rawPublicKey,
  SEALING_KEY_INFO,
} from "../../src/crypto/appliance-key";
import { KAT } from "../support/crypto-known-answers";

function pkcs8Raw(key: ReturnType<typeof deriveApplianceKeyPair>["privateKey"]): Buffer {
  return key.export({ format: "der", type: "pkcs8" }).subarray(16);
}

describe("deriveApplianceKeys (key derivation v2)", () => {
  it("derives the API key and the sealing key from the root under distinct labels", () => {
    const root = generateRootSecret();
    expect(ApplianceRootSecret.safeParse(root).success).toBe(true);
    const ikm = Buffer.from(root, "base64url");
    const { apiKey, keyPair } = deriveApplianceKeys(root);
    expect(apiKey).toBe(
      Buffer.from(hkdfSync("sha256", ikm, KEY_DERIVATION_SALT, API_KEY_INFO, 24)).toString("base64url"),
    );
    expect(
      pkcs8Raw(keyPair.privateKey).equals(
        Buffer.from(hkdfSync("sha256", ikm, KEY_DERIVATION_SALT, SEALING_KEY_INFO, 32)),
      ),
    ).toBe(true);
    expect(ApplianceApiKey.safeParse(apiKey).success).toBe(true);
    expect(X25519PublicKey.safeParse(keyPair.publicKeyBase64).success).toBe(true);
    expect(deriveApplianceKeys(root).keyPair.publicKeyBase64).toBe(keyPair.publicKeyBase64);
  });

  it("does not let the API key (a bearer token) stand in for the root: v1 derivation from it gives another key", () => {
    const { apiKey, keyPair } = deriveApplianceKeys(generateRootSecret());
    expect(deriveApplianceKeyPair(apiKey).publicKeyBase64).not.toBe(keyPair.publicKeyBase64);
  });

  it("matches an independent implementation (known answer)", () => {
    const keys = deriveApplianceKeys(KAT.rootSecret);
    expect(keys.apiKey).toBe(KAT.apiKey);
    expect(keys.keyPair.publicKeyBase64).toBe(KAT.publicKey);
  });

  it("refuses a malformed root secret", () => {
    for (const bad of ["", "short", randomBytes(31).toString("base64url"), `${generateRootSecret()}=`]) {
      expect(() => deriveApplianceKeys(bad)).toThrow(/base64url of 32 bytes/);
    }
  });

  it("gives different keys for different roots", () => {
    const keys = new Set(Array.from({ length: 200 }, () => deriveApplianceKeys(generateRootSecret()).apiKey));
    expect(keys.size).toBe(200);
  });
});

describe("deriveApplianceKeyPair (v1, until a legacy appliance has rekeyed)", () => {
  it("derives the private key with HKDF-SHA256 from the API key, salt and info of v1", () => {
    const apiKey = randomBytes(24).toString("base64url");
    const expected = Buffer.from(hkdfSync("sha256", apiKey, APPLIANCE_KEY_SALT, APPLIANCE_KEY_INFO, 32));
    const { privateKey, publicKeyBase64 } = deriveApplianceKeyPair(apiKey);
    expect(pkcs8Raw(privateKey).equals(expected)).toBe(true);
    expect(Buffer.from(publicKeyBase64, "base64").equals(rawPublicKey(createPublicKey(privateKey)))).toBe(true);
    // v1 known answer (Python's cryptography): api key "abcdefghijklmnopqrstuvwxyz012345".
    expect(deriveApplianceKeyPair("abcdefghijklmnopqrstuvwxyz012345").publicKeyBase64).toBe(
      "5p6sy4uegqm9DgTMAXsH4mdvajTWxkgKzzXs6zKE42g=",
    );
  });
});
