/**
 * Sealed secrets: how Central Command hands Windows passwords to this appliance without any other
 * party (a TLS-terminating proxy, a log of the response) being able to read them.
 *
 * The appliance's X25519 key pair is derived from its API key, so the key in the 0600 config.yaml
 * stays the only secret on disk:
 *   private = HKDF-SHA256(ikm = UTF-8 api_key, salt = "osiriscare appliance x25519",
 *                         info = "x25519 private key v1", length = 32)
 *
 * The sealed format is the one documented in server/contracts/checkin.ts:
 *   base64( 0x01 || ephemeral_public[32] || nonce[12] || ciphertext || tag[16] )
 *   shared = X25519(ephemeral_private, appliance_public)
 *   key    = HKDF-SHA256(shared, salt = ephemeral_public || appliance_public, info = "osiriscare sealed secret v1", 32)
 *   AES-256-GCM(key, nonce, UTF-8 plaintext, aad = UTF-8 appliance_id)
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { inspect } from "node:util";
import {
  SEALED_SECRET_INFO,
  SEALED_SECRET_VERSION,
  type SealedSecretBinding,
  sealedSecretAad,
  X25519PublicKey,
} from "../../server/contracts";

export const APPLIANCE_KEY_SALT = "osiriscare appliance x25519";
export const APPLIANCE_KEY_INFO = "x25519 private key v1";

/** DER prefixes that wrap a raw 32-byte X25519 key as PKCS#8 (private) or SPKI (public). */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

const KEY_LENGTH = 32;
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

export interface ApplianceKeyPair {
  privateKey: KeyObject;
  /** Standard base64 (with padding, 44 characters) of the raw 32-byte public key: the claim's public_key. */
  publicKeyBase64: string;
}

function x25519PrivateKey(raw: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: "der", type: "pkcs8" });
}

function x25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, raw]), format: "der", type: "spki" });
}

/** The raw 32 bytes of an X25519 public key (or of the public half of a private key). */
export function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== "x25519") throw new TypeError("not an X25519 key");
  const der = publicKey.export({ format: "der", type: "spki" });
  if (
    der.length !== SPKI_X25519_PREFIX.length + KEY_LENGTH ||
    !der.subarray(0, SPKI_X25519_PREFIX.length).equals(SPKI_X25519_PREFIX)
  ) {
    throw new TypeError("unexpected X25519 public key encoding");
  }
  return der.subarray(SPKI_X25519_PREFIX.length);
}

/**
 * Key derivation v1 (appliances provisioned before v2): the X25519 key pair derived from the API key
 * itself. Only used to keep such an appliance working until it has moved to v2 (see the rekey step).
 */
export function deriveApplianceKeyPair(apiKey: string): ApplianceKeyPair {
  if (apiKey.length === 0) throw new TypeError("the API key must not be empty");
  const raw = Buffer.from(
    hkdfSync(
      "sha256",
      Buffer.from(apiKey, "utf8"),
      Buffer.from(APPLIANCE_KEY_SALT, "utf8"),
      Buffer.from(APPLIANCE_KEY_INFO, "utf8"),
      KEY_LENGTH,
    ),
  );
  const privateKey = x25519PrivateKey(raw);
  raw.fill(0);
  return { privateKey, publicKeyBase64: rawPublicKey(privateKey).toString("base64") };
}

/**
 * Key derivation v2. The appliance keeps one random root secret (32 bytes, in its 0600 config). Two
 * independent keys come from it under distinct HKDF labels: the API key it presents to Central Command
 * (a bearer token, so anything on the path may see it) and its X25519 sealing key. Knowing the API key
 * (or its HMAC, which is all Central Command stores) gives nothing about the sealing key.
 */
export const KEY_DERIVATION_SALT = "osiriscare appliance keys v2";
export const API_KEY_INFO = "api key";
export const SEALING_KEY_INFO = "x25519 sealing key";
const ROOT_SECRET_BYTES = 32;
const API_KEY_BYTES = 24; // 32 characters of base64url, the claim's api_key format

export type ApplianceKeys = { apiKey: string; keyPair: ApplianceKeyPair };

/** A fresh root secret: base64url of 32 bytes from the CSPRNG (43 characters). */
export function generateRootSecret(): string {
  return randomBytes(ROOT_SECRET_BYTES).toString("base64url");
}

export function deriveApplianceKeys(rootSecret: string): ApplianceKeys {
  const root = Buffer.from(rootSecret, "base64url");
  if (root.length !== ROOT_SECRET_BYTES || root.toString("base64url") !== rootSecret) {
    throw new TypeError("the appliance secret must be the base64url of 32 bytes");
  }
  const hkdf = (info: string, length: number) =>
    Buffer.from(hkdfSync("sha256", root, Buffer.from(KEY_DERIVATION_SALT), Buffer.from(info), length));
  const apiKey = hkdf(API_KEY_INFO, API_KEY_BYTES).toString("base64url");
  const raw = hkdf(SEALING_KEY_INFO, KEY_LENGTH);
  const privateKey = x25519PrivateKey(raw);
  raw.fill(0);
  root.fill(0);
  return { apiKey, keyPair: { privateKey, publicKeyBase64: rawPublicKey(privateKey).toString("base64") } };
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

/**
 * A secret held in memory only. It shows as "[redacted]" when printed, logged, interpolated or
 * serialised, so a careless log line or JSON dump cannot leak it; `reveal()` is the one way in.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[redacted]";
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "[redacted]";
  }
}
