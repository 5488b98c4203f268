/**
 * `npm run admin -- keys:rotate`: make a new master key current and re-wrap every data key under it.
 * Only data keys are re-wrapped; secrets are not decrypted. Running processes keep working throughout:
 * the old key stays in the keyring (they re-read it and can still open anything not yet re-wrapped).
 * With a file keyring a new key is generated; with CREDENTIALS_KEYRING the operator first deploys a
 * keyring whose `current` is the new key (the old ones still listed), then runs this to re-wrap.
 *
 * Concurrent edits: another process may still encrypt under the old key (file keyrings are cached for
 * FILE_RELOAD_MS), writing a new data key AND a new wrapped key. Each re-wrap is therefore a
 * compare-and-swap on the wrapped key it read: if the row changed meanwhile the write misses and the row
 * is read again, so a re-wrapped OLD data key can never be paired with a NEW ciphertext. After generating
 * a key, a second pass runs once every process has re-read the keyring, for edits made under the old key
 * until then.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { rewrapRecord } from "../security/envelope";
import { currentMasterKey, FILE_RELOAD_MS, keyringSource, readKeyring, saveLocalKeyring } from "../security/keyring";
import { credentialRef } from "./site-credentials";

type Row = { id: string; siteId: string; wrappedDataKey: Uint8Array; masterKeyId: string };

export type RotateOptions = {
  generate: boolean;
  /** Wait before the second pass (default: the keyring reload interval when a key was generated, else none). */
  settleMs?: number;
  /** Test seam: runs after a batch is read and before it is written. */
  beforeWrite?: (rows: Row[]) => Promise<void>;
};

async function rewrapAll(db: Db, current: string, beforeWrite?: RotateOptions["beforeWrite"]) {
  let rewrapped = 0;
  let missed = 0;
  for (;;) {
    const batch: Row[] = await db.siteCredential.findMany({
      where: { masterKeyId: { not: current } },
      select: { id: true, siteId: true, wrappedDataKey: true, masterKeyId: true },
      take: 500,
    });
    if (batch.length === 0) break;
    await beforeWrite?.(batch);
    for (const row of batch) {
      const next = rewrapRecord(credentialRef(row.siteId, row.id), row.wrappedDataKey, row.masterKeyId);
      const n = await db.$executeRaw`
        UPDATE site_credentials SET wrapped_data_key = ${Buffer.from(next.wrappedDataKey)}, master_key_id = ${next.masterKeyId}
        WHERE id = ${row.id} AND master_key_id = ${row.masterKeyId}
          AND wrapped_data_key = ${Buffer.from(row.wrappedDataKey)}`;
      // A miss: the row was edited (or deleted) since it was read; the next batch reads it again if needed.
      if (n === 1) rewrapped++;
      else missed++;
    }
  }
  return { rewrapped, missed };
}

export async function rotateMasterKey(db: Db, opts: RotateOptions) {
  let generated: string | null = null;
  if (opts.generate) {
    if (keyringSource() !== "file") {
      throw new Error(
        "The keyring comes from CREDENTIALS_KEYRING: deploy a keyring with the new key as current, then run keys:rotate --rewrap-only.",
      );
    }
    const ring = readKeyring();
    let n = Object.keys(ring.keys).length + 1;
    while (ring.keys[`k${n}`]) n++;
    generated = `k${n}`;
    saveLocalKeyring({ current: generated, keys: { ...ring.keys, [generated]: randomBytes(32).toString("base64") } });
  }
  const current = currentMasterKey().id;
  const first = await rewrapAll(db, current, opts.beforeWrite);
  let rewrapped = first.rewrapped;
  const settleMs = opts.settleMs ?? (generated ? FILE_RELOAD_MS + 1_000 : 0);
  if (settleMs > 0) {
    await new Promise((r) => setTimeout(r, settleMs));
    rewrapped += (await rewrapAll(db, current)).rewrapped;
  }
  const byKey = await db.siteCredential.groupBy({ by: ["masterKeyId"], _count: { _all: true } });
  return {
    current,
    generated,
    rewrapped,
    retried: first.missed,
    byKey: Object.fromEntries(byKey.map((k) => [k.masterKeyId, k._count._all])),
  };
}
