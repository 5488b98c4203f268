/**
 * Envelope encryption for stored secrets. Each record gets its own random data key; the secret is sealed
 * with AES-256-GCM under that data key, and the data key is wrapped (AES-256-GCM) by the current master
 * key. Associated data binds the ciphertext to its table, site and record id, so a ciphertext copied to
 * another row (or another site) fails to decrypt. Layout of both blobs: nonce[12] || ciphertext || tag[16].
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { currentMasterKey, masterKey } from "./keyring";

function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce).setAAD(Buffer.from(aad, "utf8"));
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, blob: Uint8Array, aad: string): Buffer {
  const buf = Buffer.from(blob);
  if (buf.length < 28) throw new Error("ciphertext too short");
  const decipher = createDecipheriv("aes-256-gcm", key, buf.subarray(0, 12)).setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(buf.subarray(buf.length - 16));
  return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
}

export type RecordRef = { table: string; siteId: string; id: string };
export type Envelope = {
  encryptedData: Uint8Array<ArrayBuffer>;
  wrappedDataKey: Uint8Array<ArrayBuffer>;
  masterKeyId: string;
};

const dataAad = (r: RecordRef) => `${r.table}:${r.siteId}:${r.id}:data`;
const keyAad = (r: RecordRef) => `${r.table}:${r.siteId}:${r.id}:key`;

export function encryptRecord(ref: RecordRef, secret: unknown): Envelope {
  const dataKey = randomBytes(32);
  const master = currentMasterKey();
  return {
    encryptedData: new Uint8Array(seal(dataKey, Buffer.from(JSON.stringify(secret), "utf8"), dataAad(ref))),
    wrappedDataKey: new Uint8Array(seal(master.key, dataKey, keyAad(ref))),
    masterKeyId: master.id,
  };
}

export function decryptRecord<T>(
  ref: RecordRef,
  env: Omit<Envelope, "encryptedData" | "wrappedDataKey"> & { encryptedData: Uint8Array; wrappedDataKey: Uint8Array },
): T {
  const dataKey = open(masterKey(env.masterKeyId), env.wrappedDataKey, keyAad(ref));
  return JSON.parse(open(dataKey, env.encryptedData, dataAad(ref)).toString("utf8")) as T;
}

/** Re-wraps a record's data key under the current master key; the secret itself is not touched. */
export function rewrapRecord(ref: RecordRef, wrappedDataKey: Uint8Array, masterKeyId: string) {
  const dataKey = open(masterKey(masterKeyId), wrappedDataKey, keyAad(ref));
  const master = currentMasterKey();
  return { wrappedDataKey: new Uint8Array(seal(master.key, dataKey, keyAad(ref))), masterKeyId: master.id };
}
