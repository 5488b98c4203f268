/**
 * The sealed-secret wire format: how Central Command hands a Windows password to one appliance so that
 * nothing else (a TLS-terminating proxy, a log of the response, Central Command's own database) can read it.
 *
 *   sealed_password = base64( 0x02 || ephemeral_public_key[32] || nonce[12] || ciphertext || tag[16] )
 *
 * For each check-in response the server makes a fresh X25519 key pair (every secret in that response
 * carries the same ephemeral public key, each with its own random nonce) and computes
 *   shared = X25519(ephemeral_private, appliance_public)
 *   key    = HKDF-SHA256(ikm = shared, salt = ephemeral_public || appliance_public,
 *                        info = "osiriscare sealed secret v2", length = 32)
 *   ciphertext, tag = AES-256-GCM(key, nonce, plaintext = UTF-8 password, aad = sealedSecretAad(binding))
 * The associated data binds the envelope to the appliance, the credential and the target it was released
 * for, so an envelope moved to another target, credential or appliance fails to open.
 *
 * The appliance's X25519 private key is derived from a root secret that never leaves the appliance (see
 * appliance/src/crypto); the API key it presents is derived from the same root under another label, so
 * nothing Central Command receives or stores lets it compute the sealing key.
 */

export const SEALED_SECRET_VERSION = 2;
export const SEALED_SECRET_INFO = "osiriscare sealed secret v2";

/** What a sealed secret is bound to (all four must match when it is opened). */
export type SealedSecretBinding = {
  applianceId: string;
  credentialId: string;
  /** The target's hostname, as in windows_targets[].hostname. */
  hostname: string;
  /** The username as sent, e.g. "CLINIC\\svc-scan". */
  username: string;
};

const AAD_LABEL = "osiriscare sealed secret aad v2";

/**
 * The AES-GCM associated data: a label, then each field as a 4-byte big-endian length and its UTF-8 bytes,
 * in a fixed order, so no two different bindings encode alike.
 */
export function sealedSecretAad(binding: SealedSecretBinding): Uint8Array {
  const parts = [AAD_LABEL, binding.applianceId, binding.credentialId, binding.hostname, binding.username].map((s) =>
    new TextEncoder().encode(s),
  );
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const p of parts) {
    view.setUint32(offset, p.length);
    out.set(p, offset + 4);
    offset += 4 + p.length;
  }
  return out;
}
