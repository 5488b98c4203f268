/**
 * A partner admin approves discovered servers that are awaiting approval (one, several, or all of the site's):
 * they get the site's domain credential from then on. The update, its audit event and the outbox row that asks
 * the site's appliances for a scan commit together. Ids of another site or partner match nothing (404 when
 * nothing the caller named exists). Approving again is harmless.
 */
import { ApproveTargetsRequest } from "@/server/contracts";
import type { Db } from "@/server/db";
import { badRequest, notFound } from "@/server/errors";
import { addOutbox } from "@/server/jobs/outbox/add-outbox";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { assertPartnerSite } from "../shared/site-ownership";
import { findDomainCredential } from "./domain-credential";

export async function approveTargets(
  db: Db,
  partnerId: string,
  siteId: string,
  raw: ApproveTargetsRequest,
  actor: Actor & { by: string },
): Promise<{ approved: number }> {
  const input = ApproveTargetsRequest.parse(raw);
  await assertPartnerSite(db, partnerId, siteId);
  return db.$transaction(async (tx) => {
    const cred = await findDomainCredential(tx, siteId);
    if (!cred) {
      throw badRequest("Enter the site's domain credential first: approved servers use it.");
    }
    const where = {
      siteId,
      site: { partnerId },
      ...(input.target_ids ? { id: { in: input.target_ids } } : {}),
    };
    if (input.target_ids) {
      const known = await tx.windowsTarget.count({ where });
      if (known === 0) throw notFound("No such server at this site.");
    }
    const now = new Date();
    const approved = await tx.windowsTarget.updateMany({
      where: { ...where, approval: "awaiting_approval" },
      data: { approval: "approved", credentialId: cred.id, approvedAt: now, approvedBy: actor.by, updatedAt: now },
    });
    if (approved.count > 0) {
      const { by: _by, ...who } = actor;
      await recordAuditEvent(tx, {
        ...who,
        action: "windows_targets.approved",
        partnerId,
        siteId,
        targetType: "windows_target",
        metadata: { count: approved.count, all: Boolean(input.all), ids: input.target_ids ?? null },
      });
      await addOutbox(tx, "credentials.changed", { siteId });
    }
    return { approved: approved.count };
  });
}
