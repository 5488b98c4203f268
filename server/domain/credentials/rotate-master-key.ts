/**
 * `npm run admin -- keys:rotate`: make a new master key current and re-wrap every data key under it.
 * Only data keys are re-wrapped; secrets are not decrypted. Running processes keep working throughout:
 * the old key stays in the keyring (they re-read it and can still open anything not yet re-wrapped).
 * With a file keyring a new key is generated; with CREDENTIALS_KEYRING the operator first deploys a
 * keyring whose `current` is the new key (the old ones still listed), then runs this to re-wrap.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { rewrapRecord } from "../security/envelope";
import { currentMasterKey, keyringSource, readKeyring, saveLocalKeyring } from "../security/keyring";
import { credentialRef } from "./site-credentials";

export async function rotateMasterKey(db: Db, opts: { generate: boolean }) {
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
  let rewrapped = 0;
  for (;;) {
    const batch = await db.siteCredential.findMany({
      where: { masterKeyId: { not: current } },
      select: { id: true, siteId: true, wrappedDataKey: true, masterKeyId: true },
      take: 500,
    });
    if (batch.length === 0) break;
    for (const row of batch) {
      const next = rewrapRecord(credentialRef(row.siteId, row.id), row.wrappedDataKey, row.masterKeyId);
      // Conditional on the old key id: a concurrent edit (already under the new key) is left alone.
      const res = await db.siteCredential.updateMany({
        where: { id: row.id, masterKeyId: row.masterKeyId },
        data: next,
      });
      rewrapped += res.count;
    }
  }
  const byKey = await db.siteCredential.groupBy({ by: ["masterKeyId"], _count: { _all: true } });
  return { current, generated, rewrapped, byKey: Object.fromEntries(byKey.map((k) => [k.masterKeyId, k._count._all])) };
}
