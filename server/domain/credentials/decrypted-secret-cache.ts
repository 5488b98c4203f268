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
import { ExpiringCache } from "@/server/lib/expiring-cache";
import { decryptRecord, type RecordRef } from "../security/envelope";

/** An envelope as the check-in's lookup returns it: base64 columns, decoded only on a cache miss. */
export type StoredEnvelope = { encryptedData: string; wrappedDataKey: string; masterKeyId: string };

type Entry = { envelope: StoredEnvelope; secret: unknown };
const cache = ExpiringCache.shared<Entry>("decrypted-secrets", 10 * 60_000, 20_000);

function same(a: StoredEnvelope, b: StoredEnvelope): boolean {
  return (
    a.wrappedDataKey === b.wrappedDataKey && a.encryptedData === b.encryptedData && a.masterKeyId === b.masterKeyId
  );
}

/** The secret in `envelope`, decrypted now or earlier. Throws like decryptRecord when it does not open. */
export function openStoredSecret<T>(ref: RecordRef, envelope: StoredEnvelope, now = performance.now()): T {
  const key = `${ref.table}\0${ref.siteId}\0${ref.id}`;
  const hit = cache.get(key, now);
  if (hit && same(hit.envelope, envelope)) return hit.secret as T;
  const secret = decryptRecord<T>(ref, {
    encryptedData: Buffer.from(envelope.encryptedData, "base64"),
    wrappedDataKey: Buffer.from(envelope.wrappedDataKey, "base64"),
    masterKeyId: envelope.masterKeyId,
  });
  cache.set(key, { envelope, secret }, now);
  return secret;
}

/** Forgets every decrypted secret (tests; and a process that wants its memory clean). */
export function clearDecryptedSecrets(): void {
  cache.clear();
}

export function decryptedSecretCount(): number {
  return cache.size;
}
