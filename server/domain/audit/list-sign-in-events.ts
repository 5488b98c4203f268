/**
 * A partner's sign-in activity (sign-ins, failed sign-ins, sign-outs of its users), newest first, paged
 * by a cursor (the last id seen). Scoped to the partner: another partner's events are never returned.
 */
import { SIGN_IN_ACTIONS } from "@/server/contracts/ui/activity";
import type { Db } from "@/server/db";
import type { SignInAction } from "./record-sign-in-event";

export const SIGN_IN_EVENTS_MAX_PAGE = 100;

function metadataString(metadata: unknown, key: string): string | null {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return null;
  const value = (metadata as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
}

export async function listSignInEvents(
  db: Db,
  partnerId: string,
  opts: { cursor?: string | null; limit?: number } = {},
) {
  const limit = Math.min(Math.max(opts.limit ?? 25, 1), SIGN_IN_EVENTS_MAX_PAGE);
  const rows = await db.auditEvent.findMany({
    where: {
      partnerId,
      action: { in: [...SIGN_IN_ACTIONS] },
      ...(opts.cursor ? { id: { lt: BigInt(opts.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: { id: true, action: true, actorId: true, ip: true, metadata: true, createdAt: true },
  });
  const page = rows.slice(0, limit);
  return {
    events: page.map((row) => ({
      id: row.id.toString(),
      action: row.action as SignInAction,
      user_id: row.actorId,
      email: metadataString(row.metadata, "email"),
      ip: row.ip,
      reason: metadataString(row.metadata, "reason"),
      created_at: row.createdAt.toISOString(),
    })),
    next_cursor: rows.length > limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
