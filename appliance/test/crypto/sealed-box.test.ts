import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SEALED_SECRET_VERSION } from "../../../server/contracts";
import { deriveApplianceKeys, generateRootSecret } from "../../src/crypto/appliance-key";
import { SealedSecretError, sealSecret, unsealSecret } from "../../src/crypto/sealed-box";

import { BINDING, KAT } from "../support/crypto-known-answers";

describe("sealSecret / unsealSecret", () => {
  const pair = deriveApplianceKeys(generateRootSecret()).keyPair;

  it("round-trips passwords (empty, Unicode, long)", () => {
    for (const password of ["", "p", "Winter2026!", "pässwörd ✓ 密码 🔑", "x".repeat(10_000), 'quote"back\\slash\n']) {
      const sealed = sealSecret(password, pair.publicKeyBase64, BINDING);
      expect(unsealSecret(sealed, pair.privateKey, BINDING)).toBe(password);
    }
  });

  it("produces the documented layout: version, ephemeral key, nonce, ciphertext, tag", () => {
    const password = "Winter2026!";
    const sealed = Buffer.from(sealSecret(password, pair.publicKeyBase64, BINDING), "base64");
    expect(sealed[0]).toBe(SEALED_SECRET_VERSION);
    expect(sealed).toHaveLength(1 + 32 + 12 + Buffer.byteLength(password) + 16);
    expect(sealed.toString("utf8")).not.toContain(password);
  });

  it("uses a fresh ephemeral key and nonce for every seal", () => {
    const a = Buffer.from(sealSecret("same", pair.publicKeyBase64, BINDING), "base64");
    const b = Buffer.from(sealSecret("same", pair.publicKeyBase64, BINDING), "base64");
    expect(a.subarray(1, 33).equals(b.subarray(1, 33))).toBe(false);
    expect(a.subarray(33, 45).equals(b.subarray(33, 45))).toBe(false);
  });

  it("opens a secret sealed by an independent implementation (known answer)", () => {
    const { privateKey } = deriveApplianceKeys(KAT.rootSecret).keyPair;
    expect(unsealSecret(KAT.sealed, privateKey, BINDING)).toBe(KAT.plaintext);
    for (const field of ["applianceId", "credentialId", "hostname", "username"] as const) {
      expect(() => unsealSecret(KAT.sealed, privateKey, { ...BINDING, [field]: `${BINDING[field]}x` })).toThrow(
        SealedSecretError,
      );
    }
  });

  it("refuses a secret moved to another appliance, credential, host or user (associated data)", () => {
    const sealed = sealSecret("Winter2026!", pair.publicKeyBase64, BINDING);
    for (const change of [
      { applianceId: "partner-clinic-abc123-other" },
      { credentialId: "cred-other" },
      { hostname: "evil.example" },
      { username: "CLINIC\\administrator" },
    ]) {
      expect(() => unsealSecret(sealed, pair.privateKey, { ...BINDING, ...change })).toThrow(/failed authentication/);
    }
  });

  it("refuses a secret sealed for another appliance's key", () => {
    const other = deriveApplianceKeys(generateRootSecret()).keyPair;
    const sealed = sealSecret("Winter2026!", other.publicKeyBase64, BINDING);
    expect(() => unsealSecret(sealed, pair.privateKey, BINDING)).toThrow(/failed authentication/);
    expect(unsealSecret(sealed, other.privateKey, BINDING)).toBe("Winter2026!");
  });

  it("detects a flipped bit anywhere: version, ephemeral key, nonce, ciphertext or tag", () => {
    const password = "Winter2026!";
    const sealed = Buffer.from(sealSecret(password, pair.publicKeyBase64, BINDING), "base64");
    for (let i = 0; i < sealed.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const tampered = Buffer.from(sealed);
        tampered[i] = (tampered[i] ?? 0) ^ bit;
        let error: unknown;
        try {
          unsealSecret(tampered.toString("base64"), pair.privateKey, BINDING);
        } catch (err) {
          error = err;
        }
        expect({ byte: i, bit, error }).toMatchObject({ byte: i, bit, error: expect.any(SealedSecretError) });
        expect((error as Error).message).not.toContain(password);
      }
    }
  });

  it("names the problem: bad version, too short, not base64, unusable ephemeral key", () => {
    const sealed = Buffer.from(sealSecret("Winter2026!", pair.publicKeyBase64, BINDING), "base64");
    const v1 = Buffer.from(sealed);
    v1[0] = 1;
    expect(() => unsealSecret(v1.toString("base64"), pair.privateKey, BINDING)).toThrow(
      "unsupported sealed secret version 1 (expected 2)",
    );
    expect(() => unsealSecret(sealed.subarray(0, 60).toString("base64"), pair.privateKey, BINDING)).toThrow(
      "sealed secret is too short (60 bytes, at least 61)",
    );
    expect(() => unsealSecret("", pair.privateKey, BINDING)).toThrow(/too short/);
    expect(() => unsealSecret("not base64!", pair.privateKey, BINDING)).toThrow("sealed secret is not valid base64");
    // URL-safe or unpadded base64 is refused (73 bytes: standard base64 ends with "==")
    const padded = sealSecret("Winter2026!x", pair.publicKeyBase64, BINDING);
    expect(padded.endsWith("==")).toBe(true);
    expect(unsealSecret(padded, pair.privateKey, BINDING)).toBe("Winter2026!x");
    expect(() => unsealSecret(padded.replace(/=+$/, ""), pair.privateKey, BINDING)).toThrow(
      "sealed secret is not valid base64",
    );
    expect(() => unsealSecret(`${padded.slice(0, 10)}-${padded.slice(11)}`, pair.privateKey, BINDING)).toThrow(
      "sealed secret is not valid base64",
    );
    const lowOrder = Buffer.from(sealed);
    lowOrder.fill(0, 1, 33); // the all-zero point: X25519 would give an all-zero shared secret
    expect(() => unsealSecret(lowOrder.toString("base64"), pair.privateKey, BINDING)).toThrow(SealedSecretError);
  });

  it("refuses to seal for a malformed public key", () => {
    expect(() => sealSecret("x", "AAAA", BINDING)).toThrow(SealedSecretError);
    const pem = generateKeyPairSync("x25519").publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(() => sealSecret("x", pem, BINDING)).toThrow(SealedSecretError);
  });
});
