/**
 * The appliance's keys: how they are derived, and the raw-key encodings X25519 needs.
 *
 * Key derivation v2. The appliance keeps one random root secret (`appliance_secret`, 32 bytes, in its 0600
 * config.yaml). Two independent keys come from it under distinct HKDF labels:
 *   api_key = base64url( HKDF-SHA256(ikm = root, salt = "osiriscare appliance keys v2", info = "api key", 24) )
 *   x25519  = HKDF-SHA256(ikm = root, salt = "osiriscare appliance keys v2", info = "x25519 sealing key", 32)
 * The API key is a bearer token (anything on the path may see it, Central Command stores its HMAC); knowing
 * it gives nothing about the sealing key, so only this appliance can open what is sealed to it.
 *
 * Key derivation v1 (appliances provisioned before v2) derived the X25519 key from the API key itself; it
 * is kept only so such an appliance keeps working until it has moved to v2 (daemon/rekey.ts).
 * Opening sealed boxes is sealed-box.ts's job.
 */
import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject, randomBytes } from "node:crypto";

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

/** Key derivation v1: the X25519 key pair derived from the API key (legacy appliances, until they rekey). */
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

export const KEY_DERIVATION_SALT = "osiriscare appliance keys v2";
export const API_KEY_INFO = "api key";
export const SEALING_KEY_INFO = "x25519 sealing key";
const ROOT_SECRET_BYTES = 32;
const API_KEY_BYTES = 24; // 32 characters of base64url: the claim's api_key format

export type ApplianceKeys = { apiKey: string; keyPair: ApplianceKeyPair };

/** A fresh root secret: base64url of 32 bytes from the CSPRNG (43 characters). */
export function generateRootSecret(): string {
  return randomBytes(ROOT_SECRET_BYTES).toString("base64url");
}

/** Key derivation v2: the API key and the X25519 sealing key pair from the root secret. */
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
