import { beforeEach, describe, expect, it } from "vitest";
import {
  clearDecryptedSecrets,
  decryptedSecretCount,
  openStoredSecret,
  type StoredEnvelope,
} from "@/server/domain/credentials/decrypted-secret-cache";
import { encryptRecord, type RecordRef } from "@/server/domain/security/envelope";

const ref = (id: string): RecordRef => ({ table: "site_credentials", siteId: "site-1", id });
const stored = (r: RecordRef, secret: unknown): StoredEnvelope => {
  const e = encryptRecord(r, secret);
  return {
    encryptedData: Buffer.from(e.encryptedData).toString("base64"),
    wrappedDataKey: Buffer.from(e.wrappedDataKey).toString("base64"),
    masterKeyId: e.masterKeyId,
  };
};

describe("decrypted secret cache", () => {
  beforeEach(() => clearDecryptedSecrets());

  it("opens an envelope once and serves the same secret while the envelope is unchanged", () => {
    const env = stored(ref("c1"), { password: "Winter2026!" });
    const first = openStoredSecret<{ password: string }>(ref("c1"), env, 0);
    expect(first.password).toBe("Winter2026!");
    // The very same object: not decrypted again.
    expect(openStoredSecret(ref("c1"), { ...env }, 1_000)).toBe(first);
    expect(decryptedSecretCount()).toBe(1);
  });

  it("never serves a stale secret after an edit (a new envelope)", () => {
    openStoredSecret(ref("c1"), stored(ref("c1"), { password: "old" }), 0);
    const edited = stored(ref("c1"), { password: "new" });
    expect(openStoredSecret<{ password: string }>(ref("c1"), edited, 1).password).toBe("new");
  });

  it("does not let an envelope moved to another record open from the cache", () => {
    const env = stored(ref("c1"), { password: "p" });
    openStoredSecret(ref("c1"), env, 0);
    expect(() => openStoredSecret(ref("c2"), env, 1)).toThrow();
  });

  it("decrypts again once an entry is 10 minutes old", () => {
    const env = stored(ref("c1"), { password: "p" });
    const first = openStoredSecret(ref("c1"), env, 0);
    expect(openStoredSecret(ref("c1"), env, 9 * 60_000)).toBe(first);
    const later = openStoredSecret(ref("c1"), env, 10 * 60_000 + 1);
    expect(later).not.toBe(first);
    expect(later).toEqual(first);
  });

  it("keeps at most 20,000 secrets, dropping the oldest", () => {
    const first = stored(ref("c0"), { password: "p0" });
    const opened = openStoredSecret(ref("c0"), first, 0);
    for (let i = 1; i <= 20_000; i++) openStoredSecret(ref(`c${i}`), stored(ref(`c${i}`), { password: `p${i}` }), 0);
    expect(decryptedSecretCount()).toBe(20_000);
    expect(openStoredSecret(ref("c0"), first, 0)).not.toBe(opened);
  });
});
