/**
 * Partner API tokens as partners manage them (partner admins in the UI, full tokens over REST; the
 * callers enforce that). Every function is scoped by the caller's partner id: another partner's token id
 * is "not found".
 */
import {
  type ApiTokenCreated,
  type ApiTokenSummary,
  CreateApiTokenRequest,
  type CreateApiTokenRequest as CreateInput,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { mintPartnerToken } from "./mint-partner-token";

type Row = {
  id: string;
  name: string;
  scope: "read" | "full";
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const SELECT = {
  id: true,
  name: true,
  scope: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

function toSummary(r: Row): ApiTokenSummary {
  return {
    id: r.id,
    name: r.name,
    scope: r.scope,
    prefix: r.prefix,
    created_at: r.createdAt.toISOString(),
    expires_at: r.expiresAt?.toISOString() ?? null,
    last_used_at: r.lastUsedAt?.toISOString() ?? null,
    revoked_at: r.revokedAt?.toISOString() ?? null,
  };
}

/** Newest first; revoked and expired tokens stay listed (with their dates) so the history is visible. */
export async function listPartnerApiTokens(db: Db, partnerId: string): Promise<ApiTokenSummary[]> {
  const rows = await db.partnerApiToken.findMany({
    where: { partnerId },
    orderBy: { createdAt: "desc" },
    take: 500,
    select: SELECT,
  });
  return rows.map(toSummary);
}

/** Creates a token and returns it once; the token and the audit event commit together. */
export async function createPartnerApiToken(
  db: Db,
  partnerId: string,
  raw: CreateInput,
  actor: Actor,
): Promise<ApiTokenCreated> {
  const input = CreateApiTokenRequest.parse(raw);
  return db.$transaction(async (tx) => {
    const minted = await mintPartnerToken(tx, partnerId, {
      name: input.name,
      scope: input.scope,
      expiresAt: input.expires_at ? new Date(input.expires_at) : null,
    });
    await recordAuditEvent(tx, {
      ...actor,
      action: "api_token.created",
      partnerId,
      targetType: "partner_api_token",
      targetId: minted.id,
      metadata: {
        name: minted.name,
        scope: minted.scope,
        prefix: minted.prefix,
        expires_at: minted.expiresAt?.toISOString() ?? null,
      },
    });
    return {
      id: minted.id,
      name: minted.name,
      scope: minted.scope,
      token: minted.token,
      expires_at: minted.expiresAt?.toISOString() ?? null,
    };
  });
}

/**
 * Revokes a token: it answers 401 from the next request. Idempotent: revoking a revoked token answers
 * its row again (200) and records no second event. Another partner's id: 404.
 */
export async function revokePartnerApiToken(
  db: Db,
  partnerId: string,
  id: string,
  actor: Actor,
): Promise<ApiTokenSummary> {
  return db.$transaction(async (tx) => {
    const updated = await tx.partnerApiToken.updateMany({
      where: { id, partnerId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const row = await tx.partnerApiToken.findFirst({ where: { id, partnerId }, select: SELECT });
    if (!row) throw notFound("API token not found.");
    if (updated.count === 1) {
      await recordAuditEvent(tx, {
        ...actor,
        action: "api_token.revoked",
        partnerId,
        targetType: "partner_api_token",
        targetId: id,
        metadata: { name: row.name, prefix: row.prefix, scope: row.scope },
      });
    }
    return toSummary(row);
  });
}
