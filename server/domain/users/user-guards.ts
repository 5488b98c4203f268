/**
 * The rules every change to a partner's users keeps. Callers run them inside their transaction, after
 * lockPartnerUsers, so two admins demoting or removing each other at the same moment cannot both pass the
 * last-admin check.
 */
import { conflict, notFound } from "@/server/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Actor } from "../shared/actor";
import { HAS_PASSWORD } from "./user-password";
import { PARTNER_ROLES } from "./user-views";

export const LAST_ADMIN_MESSAGE =
  "A partner must keep at least one partner admin who can sign in. Make another user a partner admin (who has set their password) first.";

/** Serializes changes to one partner's users (a row lock on the partner, held until the transaction ends). */
export async function lockPartnerUsers(tx: Prisma.TransactionClient, partnerId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM partners WHERE id = ${partnerId} FOR UPDATE`;
}

/** The partner's user, or 404: another partner's user id is "not found", never "forbidden". */
export async function getPartnerUser(tx: Prisma.TransactionClient, partnerId: string, userId: string) {
  const user = await tx.user.findFirst({
    where: { id: userId, partnerId, role: { in: [...PARTNER_ROLES] } },
    select: { id: true, email: true, name: true, role: true },
  });
  if (!user) throw notFound("No such user in your team.");
  return user;
}

/** A signed-in admin may not remove or demote themselves: another admin has to. */
export function assertNotSelf(actor: Actor, userId: string, doing: "remove" | "change the role of"): void {
  if (actor.actorType === "user" && actor.actorId === userId) {
    throw conflict(`You cannot ${doing} your own account. Ask another partner admin to do it.`);
  }
}

/** Refuses a change that would leave the partner without an admin who can sign in. */
export async function assertAnotherAdmin(tx: Prisma.TransactionClient, partnerId: string, userId: string) {
  const others = await tx.user.count({
    where: { partnerId, role: "partner_admin", id: { not: userId }, ...HAS_PASSWORD },
  });
  if (others === 0) throw conflict(LAST_ADMIN_MESSAGE);
}
