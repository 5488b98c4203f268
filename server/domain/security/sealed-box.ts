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
import { randomFromPool } from "./random-pool";

/** Seals one secret for the target it is released for. */
export type Sealer = (plaintext: string, target: Omit<SealedSecretBinding, "applianceId">) => string;

const KEY_TTL_MS = 10 * 60_000;
const MAX_KEYS = 20_000;

type SealingKey = { header: Buffer; key: Buffer; expiresAt: number };
const g = globalThis as unknown as { __osirisSealingKeys?: Map<string, SealingKey> };
const keys: Map<string, SealingKey> = (g.__osirisSealingKeys ??= new Map());

function deriveSealingKey(appliancePublicKeyBase64: string, now: number): SealingKey {
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
    expiresAt: now + KEY_TTL_MS,
  };
}

function sealingKey(appliancePublicKeyBase64: string, applianceId: string, now: number): SealingKey {
  const id = `${applianceId}\0${appliancePublicKeyBase64}`;
  const cached = keys.get(id);
  if (cached && cached.expiresAt > now) return cached;
  const fresh = deriveSealingKey(appliancePublicKeyBase64, now);
  keys.delete(id);
  keys.set(id, fresh);
  if (keys.size > MAX_KEYS) {
    for (const k of keys.keys()) {
      keys.delete(k);
      if (keys.size <= MAX_KEYS) break;
    }
  }
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
