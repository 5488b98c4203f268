/**
 * Decrypted site credentials, kept briefly in memory by the web process, so that the check-in of every
 * appliance every minute does not unwrap and decrypt the same secrets again (two AES-GCM opens per secret
 * were about a tenth of a check-in's CPU on the check-in benchmark).
 *
 * An entry is used only while the stored envelope is exactly the one it was decrypted from (same wrapped
 * data key, same ciphertext, same master key id): every edit writes a new data key and every key rotation
 * a new wrapping, so a changed secret is never served from here. Entries live at most 10 minutes from
 * decryption, used or not, and at most 20,000 are kept (the oldest go first). This adds nothing for an
 * attacker who can read this process's memory: the master keys that open every envelope are there anyway.
 * Nothing here is logged or written anywhere.
 */
import { decryptRecord, type RecordRef } from "../security/envelope";

/** An envelope as the check-in's lookup returns it: base64 columns, decoded only on a cache miss. */
export type StoredEnvelope = { encryptedData: string; wrappedDataKey: string; masterKeyId: string };

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 20_000;

type Entry = { envelope: StoredEnvelope; secret: unknown; expiresAt: number };
const g = globalThis as unknown as { __osirisSecretCache?: Map<string, Entry> };
const entries: Map<string, Entry> = (g.__osirisSecretCache ??= new Map());

function same(a: StoredEnvelope, b: StoredEnvelope): boolean {
  return (
    a.wrappedDataKey === b.wrappedDataKey && a.encryptedData === b.encryptedData && a.masterKeyId === b.masterKeyId
  );
}

/** The secret in `envelope`, decrypted now or earlier. Throws like decryptRecord when it does not open. */
export function openStoredSecret<T>(ref: RecordRef, envelope: StoredEnvelope, now = performance.now()): T {
  const key = `${ref.table}\0${ref.siteId}\0${ref.id}`;
  const hit = entries.get(key);
  if (hit && hit.expiresAt > now && same(hit.envelope, envelope)) return hit.secret as T;
  const secret = decryptRecord<T>(ref, {
    encryptedData: Buffer.from(envelope.encryptedData, "base64"),
    wrappedDataKey: Buffer.from(envelope.wrappedDataKey, "base64"),
    masterKeyId: envelope.masterKeyId,
  });
  entries.delete(key);
  entries.set(key, { envelope, secret, expiresAt: now + TTL_MS });
  if (entries.size > MAX_ENTRIES) {
    // Map keeps insertion order: the first entries are the oldest decryptions.
    for (const k of entries.keys()) {
      entries.delete(k);
      if (entries.size <= MAX_ENTRIES) break;
    }
  }
  return secret;
}

/** Forgets every decrypted secret (tests; and a process that wants its memory clean). */
export function clearDecryptedSecrets(): void {
  entries.clear();
}

export function decryptedSecretCount(): number {
  return entries.size;
}
