import type { Db } from "@/server/db";
import { unauthorized } from "@/server/errors";
import { parseBearer } from "@/server/http/bearer";
import { hashSecret, safeEqual } from "../security/secrets";

export const APPLIANCE_KEY_PURPOSE = "appliance-api-key";

/** Told to an appliance whose key was revoked; the check-in says the same (load-checkin-context.ts). */
export const APPLIANCE_REVOKED_MESSAGE =
  "This appliance was revoked by its partner. Re-provision it with a new provision code to use it again.";

export type AppliancePrincipal = {
  kind: "appliance";
  applianceId: string;
  siteId: string;
  partnerId: string;
  /** The keyed hash of the key this request presented (for compare-and-swap on a rekey). */
  apiKeyHash: string;
};

/**
 * Resolves `Authorization: Bearer <api_key>` to its appliance. The key is looked up by its keyed hash
 * (unique index) and the stored hash is compared in constant time; the key itself is never stored.
 * A revoked appliance's key answers 401 (read on every request, so a revoke applies to the next one).
 */
export async function authenticateAppliance(db: Db, authorization: string | null): Promise<AppliancePrincipal> {
  const key = parseBearer(authorization);
  if (!key) throw unauthorized("Missing appliance key. Send it as 'Authorization: Bearer <api_key>'.");
  const hash = hashSecret(key, APPLIANCE_KEY_PURPOSE);
  const appliance = await db.appliance.findUnique({
    where: { apiKeyHash: hash },
    select: { id: true, siteId: true, apiKeyHash: true, revokedAt: true, site: { select: { partnerId: true } } },
  });
  if (!appliance || !safeEqual(appliance.apiKeyHash, hash)) {
    throw unauthorized("Unknown appliance key. Re-provision the appliance with a new provision code.");
  }
  if (appliance.revokedAt) throw unauthorized(APPLIANCE_REVOKED_MESSAGE);
  return {
    kind: "appliance",
    applianceId: appliance.id,
    siteId: appliance.siteId,
    partnerId: appliance.site.partnerId,
    apiKeyHash: appliance.apiKeyHash,
  };
}
