/**
 * The appliance's X25519 key pair: how it is derived, and the raw-key encodings X25519 needs.
 *
 * The key pair is derived from the API key, so the key in the 0600 config.yaml stays the only secret on disk:
 *   private = HKDF-SHA256(ikm = UTF-8 api_key, salt = "osiriscare appliance x25519",
 *                         info = "x25519 private key v1", length = 32)
 * Opening sealed boxes with it is sealed-box.ts's job.
 */
import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";

export const APPLIANCE_KEY_SALT = "osiriscare appliance x25519";
export const APPLIANCE_KEY_INFO = "x25519 private key v1";

/** DER prefixes that wrap a raw 32-byte X25519 key as PKCS#8 (private) or SPKI (public). */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_X25519_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

/** Length of a raw X25519 key (private or public). */
export const X25519_KEY_LENGTH = 32;
const KEY_LENGTH = X25519_KEY_LENGTH;

export interface ApplianceKeyPair {
  privateKey: KeyObject;
  /** Standard base64 (with padding, 44 characters) of the raw 32-byte public key: the claim's public_key. */
  publicKeyBase64: string;
}

function x25519PrivateKey(raw: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: "der", type: "pkcs8" });
}

export function x25519PublicKey(raw: Buffer): KeyObject {
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

/** The appliance's X25519 key pair, derived deterministically from its API key (nothing else is stored). */
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
