/** Provision codes as partners manage them. Every function is scoped by the caller's partner id. */

import type { CreateProvisionCodeRequest, ProvisionCodeCreated, ProvisionCodeSummary } from "@/server/contracts";
import { CreateProvisionCodeRequest as CreateSchema } from "@/server/contracts";
import type { Db } from "@/server/db";
import { conflict, notFound } from "@/server/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { codeState, generateProvisionCode, hashProvisionCode } from "./codes";

export async function createProvisionCode(
  db: Db,
  partnerId: string,
  raw: CreateProvisionCodeRequest,
  actor: Actor,
): Promise<ProvisionCodeCreated> {
  const input = CreateSchema.parse(raw);
  if (input.site_id) {
    const site = await db.site.findFirst({ where: { id: input.site_id, partnerId }, select: { id: true } });
    if (!site) throw notFound(`Site "${input.site_id}" not found.`);
  }
  const code = generateProvisionCode();
  // The code and its audit event commit together.
  const row = await db.$transaction(async (tx) => {
    const created = await tx.provisionCode.create({
      data: {
        partnerId,
        siteId: input.site_id ?? null,
        clientName: input.client_name,
        codeHash: hashProvisionCode(code),
        codePrefix: code.slice(0, 4),
        expiresAt: new Date(Date.now() + input.ttl_seconds * 1000),
        createdById: actor.actorType === "user" ? (actor.actorId ?? null) : null,
      },
      select: { id: true, siteId: true, clientName: true, codePrefix: true, expiresAt: true },
    });
    await recordAuditEvent(tx, {
      ...actor,
      action: "provision_code.created",
      partnerId,
      siteId: created.siteId,
      targetType: "provision_code",
      targetId: created.id,
      metadata: {
        client_name: created.clientName,
        expires_at: created.expiresAt.toISOString(),
        prefix: created.codePrefix,
      },
    });
    return created;
  });
  return {
    id: row.id,
    code,
    client_name: row.clientName,
    ...(row.siteId ? { site_id: row.siteId } : {}),
    expires_at: row.expiresAt.toISOString(),
  };
}

/** The columns a summary shows: never code_hash. */
const SUMMARY_SELECT = {
  id: true,
  codePrefix: true,
  clientName: true,
  siteId: true,
  expiresAt: true,
  createdAt: true,
  claimedAt: true,
  revokedAt: true,
  applianceId: true,
} as const;

type CodeRow = {
  id: string;
  codePrefix: string;
  clientName: string;
  siteId: string | null;
  expiresAt: Date;
  createdAt: Date;
  claimedAt: Date | null;
  revokedAt: Date | null;
  applianceId: string | null;
};

function toSummary(r: CodeRow, now: Date): ProvisionCodeSummary {
  return {
    id: r.id,
    code_prefix: r.codePrefix,
    client_name: r.clientName,
    site_id: r.siteId,
    status: codeState(r, now),
    expires_at: r.expiresAt.toISOString(),
    created_at: r.createdAt.toISOString(),
    claimed_at: r.claimedAt?.toISOString() ?? null,
    appliance_id: r.applianceId,
  };
}

export async function listProvisionCodes(db: Db, partnerId: string, limit = 200): Promise<ProvisionCodeSummary[]> {
  const rows = await db.provisionCode.findMany({
    where: { partnerId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: SUMMARY_SELECT,
  });
  const now = new Date();
  return rows.map((r) => toSummary(r, now));
}

/** Revokes an unclaimed code. Idempotent for a code already revoked; a claimed code cannot be revoked. */
export async function revokeProvisionCode(
  db: Db,
  partnerId: string,
  id: string,
  actor: Actor,
): Promise<ProvisionCodeSummary> {
  // The revocation and its audit event commit together.
  return db.$transaction(async (tx) => {
    const updated = await tx.provisionCode.updateMany({
      where: { id, partnerId, claimedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const row = await tx.provisionCode.findFirst({ where: { id, partnerId }, select: SUMMARY_SELECT });
    if (!row) throw notFound("Provision code not found.");
    if (row.claimedAt) throw conflict("This code was already claimed by an appliance; it can no longer be revoked.");
    if (updated.count === 1) {
      await recordAuditEvent(tx, {
        ...actor,
        action: "provision_code.revoked",
        partnerId,
        siteId: row.siteId,
        targetType: "provision_code",
        targetId: id,
        metadata: { client_name: row.clientName, prefix: row.codePrefix },
      });
    }
    // The row itself (read after the update), not a lookup in the newest-200 list: an old code must
    // answer its own summary instead of a 404 after being revoked.
    return toSummary(row, new Date());
  });
}
