/**
 * A partner's compliance thresholds: read by the partner's users, changed by its admins (audited in the
 * same transaction, with the old and new values; none of them is a secret). The appliances receive the
 * new values at their next check-in.
 */
import { type ComplianceThresholds, UpdateComplianceThresholdsRequest } from "@/server/contracts";
import type { Db } from "@/server/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";

const SELECT = {
  patchMaxAgeDays: true,
  screenLockMaxSeconds: true,
  defenderSignatureMaxAgeDays: true,
  rmmAllowList: true,
} as const;

type Columns = {
  patchMaxAgeDays: number;
  screenLockMaxSeconds: number;
  defenderSignatureMaxAgeDays: number;
  rmmAllowList: string[];
};

const toWire = (p: Columns): ComplianceThresholds => ({
  patch_max_age_days: p.patchMaxAgeDays,
  screen_lock_max_seconds: p.screenLockMaxSeconds,
  defender_signature_max_age_days: p.defenderSignatureMaxAgeDays,
  rmm_allow_list: p.rmmAllowList,
});

export async function getComplianceThresholds(db: Db, partnerId: string): Promise<ComplianceThresholds> {
  return toWire(await db.partner.findUniqueOrThrow({ where: { id: partnerId }, select: SELECT }));
}

/** Duplicates in the allow-list (case-insensitive) are kept once, in the order given. */
function dedupe(list: readonly string[]): string[] {
  const seen = new Set<string>();
  return list.filter((entry) => {
    const key = entry.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function updateComplianceThresholds(
  db: Db,
  partnerId: string,
  raw: UpdateComplianceThresholdsRequest,
  actor: Actor,
): Promise<ComplianceThresholds> {
  // Parsed again here: tRPC hands a partial without the REST schema's "at least one" rule.
  const change = UpdateComplianceThresholdsRequest.parse(raw);
  return db.$transaction(async (tx) => {
    const before = toWire(await tx.partner.findUniqueOrThrow({ where: { id: partnerId }, select: SELECT }));
    const after = toWire(
      await tx.partner.update({
        where: { id: partnerId },
        data: {
          patchMaxAgeDays: change.patch_max_age_days,
          screenLockMaxSeconds: change.screen_lock_max_seconds,
          defenderSignatureMaxAgeDays: change.defender_signature_max_age_days,
          rmmAllowList: change.rmm_allow_list ? dedupe(change.rmm_allow_list) : undefined,
        },
        select: SELECT,
      }),
    );
    await recordAuditEvent(tx, {
      ...actor,
      action: "compliance_thresholds.updated",
      partnerId,
      targetType: "partner",
      targetId: partnerId,
      metadata: { before, after },
    });
    return after;
  });
}
