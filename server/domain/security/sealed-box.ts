/**
 * Seals a secret to an appliance's X25519 public key, in the format documented in
 * server/contracts/sealed-secret.ts. One ephemeral key pair serves every secret of one check-in response
 * (each secret has its own random nonce and its own binding), so a response costs one key generation and
 * one Diffie-Hellman.
 */
import { createCipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync } from "node:crypto";
import {
  SEALED_SECRET_INFO,
  SEALED_SECRET_VERSION,
  type SealedSecretBinding,
  sealedSecretAad,
} from "@/server/contracts";
import { randomFromPool } from "./random-pool";

/** Seals one secret for the target it is released for. */
export type Sealer = (plaintext: string, target: Omit<SealedSecretBinding, "applianceId">) => string;

export function createSealer(appliancePublicKeyBase64: string, applianceId: string): Sealer {
  const appliancePub = Buffer.from(appliancePublicKeyBase64, "base64");
  const recipient = createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: appliancePub.toString("base64url") },
    format: "jwk",
  });
  const eph = generateKeyPairSync("x25519");
  const ephPub = Buffer.from(eph.publicKey.export({ format: "jwk" }).x as string, "base64url");
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const key = Buffer.from(hkdfSync("sha256", shared, Buffer.concat([ephPub, appliancePub]), SEALED_SECRET_INFO, 32));
  return (plaintext, target) => {
    const nonce = randomFromPool(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce).setAAD(sealedSecretAad({ applianceId, ...target }));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([Buffer.from([SEALED_SECRET_VERSION]), ephPub, nonce, body, cipher.getAuthTag()]).toString(
      "base64",
    );
  };
}
