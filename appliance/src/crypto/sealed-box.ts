/**
 * Sealed secrets: how Central Command hands Windows passwords to this appliance without any other
 * party (a TLS-terminating proxy, a log of the response) being able to read them. The appliance's key
 * pair comes from appliance-key.ts.
 *
 * The sealed format (version 2) is documented in server/contracts/sealed-secret.ts: X25519 with an
 * ephemeral server key, HKDF-SHA256, AES-256-GCM whose associated data binds the appliance id, the
 * credential id, the target's hostname and its username. An envelope moved to any other target fails.
 */
import {
  createCipheriv,
  createDecipheriv,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import {
  SEALED_SECRET_INFO,
  SEALED_SECRET_VERSION,
  type SealedSecretBinding,
  sealedSecretAad,
  X25519PublicKey,
} from "../../../server/contracts";
import { rawPublicKey, X25519_KEY_LENGTH, x25519PublicKey } from "./appliance-key";

const KEY_LENGTH = X25519_KEY_LENGTH;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + KEY_LENGTH + NONCE_LENGTH;
const MIN_SEALED_LENGTH = HEADER_LENGTH + TAG_LENGTH;

export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedSecretError";
  }
}

function sealingKey(shared: Buffer, ephemeralPublic: Buffer, appliancePublic: Buffer): Buffer {
  return Buffer.from(
    hkdfSync(
      "sha256",
      shared,
      Buffer.concat([ephemeralPublic, appliancePublic]),
      Buffer.from(SEALED_SECRET_INFO, "utf8"),
      KEY_LENGTH,
    ),
  );
}

/** Strict standard base64 (the server never sends URL-safe or unpadded text). */
function decodeBase64(text: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new SealedSecretError("sealed secret is not valid base64");
  }
  return Buffer.from(text, "base64");
}

/**
 * Opens a sealed secret addressed to this appliance. Throws SealedSecretError when the version or
 * length is wrong, or when authentication fails (another appliance's key or id, or tampered data).
 * The error never contains any of the plaintext.
 */
export function unsealSecret(sealedBase64: string, privateKey: KeyObject, binding: SealedSecretBinding): string {
  const sealed = decodeBase64(sealedBase64);
  if (sealed.length < MIN_SEALED_LENGTH) {
    throw new SealedSecretError(`sealed secret is too short (${sealed.length} bytes, at least ${MIN_SEALED_LENGTH})`);
  }
  const version = sealed[0];
  if (version !== SEALED_SECRET_VERSION) {
    throw new SealedSecretError(`unsupported sealed secret version ${version} (expected ${SEALED_SECRET_VERSION})`);
  }
  const ephemeralPublic = sealed.subarray(1, 1 + KEY_LENGTH);
  const nonce = sealed.subarray(1 + KEY_LENGTH, HEADER_LENGTH);
  const ciphertext = sealed.subarray(HEADER_LENGTH, sealed.length - TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);

  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey: x25519PublicKey(Buffer.from(ephemeralPublic)) });
  } catch {
    // e.g. a low-order point, for which X25519 yields the all-zero secret and OpenSSL refuses
    throw new SealedSecretError("sealed secret has an unusable ephemeral public key");
  }
  const key = sealingKey(shared, ephemeralPublic, rawPublicKey(privateKey));
  shared.fill(0);

  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(sealedSecretAad(binding));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new SealedSecretError(
      "sealed secret failed authentication (sealed for another appliance or target, or altered in transit)",
    );
  } finally {
    key.fill(0);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
  } catch {
    throw new SealedSecretError("sealed secret is not UTF-8 text");
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Seals `plaintext` for the appliance with this public key (standard base64 of the raw 32 bytes) and id.
 * Central Command has its own implementation; this one serves tests and cross-checks.
 */
export function sealSecret(plaintext: string, appliancePublicKeyBase64: string, binding: SealedSecretBinding): string {
  if (!X25519PublicKey.safeParse(appliancePublicKeyBase64).success) {
    throw new SealedSecretError("the appliance public key must be the base64 of 32 raw bytes");
  }
  const appliancePublic = Buffer.from(appliancePublicKeyBase64, "base64");
  const ephemeral = generateKeyPairSync("x25519");
  const ephemeralPublic = rawPublicKey(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: x25519PublicKey(appliancePublic) });
  const key = sealingKey(shared, ephemeralPublic, appliancePublic);
  shared.fill(0);
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(sealedSecretAad(binding));
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(plaintext, "utf8")), cipher.final()]);
  key.fill(0);
  return Buffer.concat([
    Buffer.from([SEALED_SECRET_VERSION]),
    ephemeralPublic,
    nonce,
    ciphertext,
    cipher.getAuthTag(),
  ]).toString("base64");
}
