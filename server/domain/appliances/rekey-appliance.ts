/**
 * An appliance replaces its API key and sealing public key, authenticated by its current key. One
 * conditional UPDATE (compare-and-swap on the current key's hash) with its audit event, in one
 * transaction: of two concurrent rekeys with the same old key exactly one wins, and the old key answers
 * 401 from the moment the transaction commits.
 */
import type { RekeyRequest, RekeyResponse } from "@/server/contracts";
import type { Db } from "@/server/db";
import { badRequest, conflict, forbidden } from "@/server/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashSecret } from "../security/secrets";
import { APPLIANCE_KEY_PURPOSE, type AppliancePrincipal } from "./authenticate-appliance";

export async function rekeyAppliance(
  db: Db,
  principal: AppliancePrincipal,
  input: RekeyRequest,
  ip: string | null,
): Promise<RekeyResponse> {
  if (input.appliance_id !== principal.applianceId) {
    throw forbidden("This key belongs to a different appliance than the appliance_id given.");
  }
  const newHash = hashSecret(input.api_key, APPLIANCE_KEY_PURPOSE);
  if (newHash === principal.apiKeyHash) throw badRequest("The new api_key must differ from the current one.");
  await db.$transaction(async (tx) => {
    const { count } = await tx.appliance.updateMany({
      where: { id: principal.applianceId, apiKeyHash: principal.apiKeyHash },
      data: { apiKeyHash: newHash, publicKey: input.public_key },
    });
    if (count !== 1) throw conflict("This appliance's key was replaced by another request. Use the new key.");
    await recordAuditEvent(tx, {
      action: "appliance.rekeyed",
      actorType: "appliance",
      actorId: principal.applianceId,
      partnerId: principal.partnerId,
      siteId: principal.siteId,
      targetType: "appliance",
      targetId: principal.applianceId,
      ip,
    });
  });
  return { status: "ok", server_time: new Date().toISOString() };
}
