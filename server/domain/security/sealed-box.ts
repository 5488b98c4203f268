/**
 * Seals a secret to an appliance's X25519 public key, in the format documented in
 * server/contracts/sealed-secret.ts: AES-256-GCM under a key derived (HKDF) from an ephemeral X25519 key
 * pair and the appliance's public key, each secret with its own random nonce and its own binding
 * (appliance, credential, host, user) as associated data.
 *
 * The ephemeral key pair and the key derived from it serve one appliance for up to 10 minutes (every
 * response in that window, each secret still with a fresh nonce), instead of a new pair per response: the
 * key generation and Diffie-Hellman were most of a sealed check-in's CPU. This exposes nothing new. The
 * derived key sits in this process's memory, beside the master keys and the decrypted secrets it seals
 * (decrypted-secret-cache.ts keeps those for the same 10 minutes), and the appliance's private key opens
 * every box whether the ephemeral is shared or not. A changed public key (a rekey) gets a new pair at once.
 */
import { createCipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync } from "node:crypto";
import {
  SEALED_SECRET_INFO,
  SEALED_SECRET_VERSION,
  type SealedSecretBinding,
  sealedSecretAad,
} from "@/server/contracts";
import { ExpiringCache } from "@/server/lib/expiring-cache";
import { randomFromPool } from "./random-pool";

/** Seals one secret for the target it is released for. */
export type Sealer = (plaintext: string, target: Omit<SealedSecretBinding, "applianceId">) => string;

type SealingKey = { header: Buffer; key: Buffer };
const keys = ExpiringCache.shared<SealingKey>("sealing-keys", 10 * 60_000, 20_000);

function deriveSealingKey(appliancePublicKeyBase64: string): SealingKey {
  const appliancePub = Buffer.from(appliancePublicKeyBase64, "base64");
  const recipient = createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: appliancePub.toString("base64url") },
    format: "jwk",
  });
  const eph = generateKeyPairSync("x25519");
  const ephPub = Buffer.from(eph.publicKey.export({ format: "jwk" }).x as string, "base64url");
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  return {
    header: Buffer.concat([Buffer.from([SEALED_SECRET_VERSION]), ephPub]),
    key: Buffer.from(hkdfSync("sha256", shared, Buffer.concat([ephPub, appliancePub]), SEALED_SECRET_INFO, 32)),
  };
}

function sealingKey(appliancePublicKeyBase64: string, applianceId: string, now: number): SealingKey {
  const id = `${applianceId}\0${appliancePublicKeyBase64}`;
  const cached = keys.get(id, now);
  if (cached) return cached;
  const fresh = deriveSealingKey(appliancePublicKeyBase64);
  keys.set(id, fresh, now);
  return fresh;
}

/** Forgets every sealing key (tests). */
export function clearSealingKeys(): void {
  keys.clear();
}

export function createSealer(appliancePublicKeyBase64: string, applianceId: string, now = performance.now()): Sealer {
  const { header, key } = sealingKey(appliancePublicKeyBase64, applianceId, now);
  return (plaintext, target) => {
    const nonce = randomFromPool(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce).setAAD(sealedSecretAad({ applianceId, ...target }));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([header, nonce, body, cipher.getAuthTag()]).toString("base64");
  };
}
