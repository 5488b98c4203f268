/**
 * keys:rotate racing an edit made under the old master key (another process whose keyring cache still
 * names the old key as current): every credential must still decrypt afterwards.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { rotateMasterKey } from "@/server/domain/credentials/rotate-master-key";
import {
  type CredentialSecret,
  createSiteCredential,
  credentialRef,
  updateSiteCredential,
} from "@/server/domain/credentials/site-credentials";
import { decryptRecord } from "@/server/domain/security/envelope";
import { resetKeyringCache } from "@/server/domain/security/keyring";
import { resetEnvCache } from "@/server/env";
import { makePartner, makeSiteWithAppliance } from "../support/factories";
import { testEnv } from "../support/test-env";

const keys = JSON.parse(testEnv.CREDENTIALS_KEYRING).keys as Record<string, string>;
const actor = { actorType: "system" as const };

/** Makes this process see `current` as the current master key (as a process with that keyring would). */
function switchCurrentKey(current: string) {
  process.env.CREDENTIALS_KEYRING = JSON.stringify({ current, keys });
  resetEnvCache();
  resetKeyringCache();
}

afterAll(async () => {
  switchCurrentKey("t1");
  await disconnectDb();
});

describe("keys:rotate", () => {
  it("an edit under the old key during a rotation is re-wrapped, not overwritten: every credential decrypts", async () => {
    switchCurrentKey("t1");
    const partner = await makePartner();
    const { siteId } = await makeSiteWithAppliance(partner.partner.id);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const c = await createSiteCredential(
        db(),
        partner.partner.id,
        siteId,
        { credential_type: "winrm", credential_name: `S${n}`, host: `s${n}.test`, username: "u", password: `old-${n}` },
        actor,
      );
      ids.push(c.id);
    }
    const edited = ids[1] as string;

    switchCurrentKey("t2"); // the operator deployed t2 as current and runs keys:rotate --rewrap-only
    let raced = false;
    const result = await rotateMasterKey(db(), {
      generate: false,
      beforeWrite: async () => {
        if (raced) return;
        raced = true;
        // Between the rotation's read and its write, another process (still on t1) changes a password.
        switchCurrentKey("t1");
        await updateSiteCredential(
          db(),
          partner.partner.id,
          siteId,
          edited,
          { password: "edited-during-rotation" },
          actor,
        );
        switchCurrentKey("t2");
      },
    });
    expect(raced).toBe(true);
    expect(result.retried).toBeGreaterThanOrEqual(1); // the compare-and-swap missed the edited row once

    const rows = await db().siteCredential.findMany({ where: { siteId } });
    expect(rows.map((r) => r.masterKeyId)).toEqual(["t2", "t2", "t2"]);
    const passwords = Object.fromEntries(
      rows.map((r) => [r.id, decryptRecord<CredentialSecret>(credentialRef(siteId, r.id), r).password]),
    );
    expect(passwords).toEqual({
      [ids[0] as string]: "old-1",
      [edited]: "edited-during-rotation",
      [ids[2] as string]: "old-3",
    });
  });
});
