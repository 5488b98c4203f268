/**
 * How the service layer hands partner users out: camelCase views (the tRPC procedures' `.output()`
 * schemas), never Prisma rows. REST turns them into the snake_case contracts (user-json.ts).
 */
import { z } from "zod";
import { PartnerUserRole } from "@/server/contracts/users";
import type { Prisma } from "@/server/generated/prisma/client";
import { CREDENTIAL_PROVIDER } from "./user-password";

export const PARTNER_ROLES = PartnerUserRole.options;

export const PartnerUserView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: PartnerUserRole,
  /** `invited` until the user has set a password through their link. */
  status: z.enum(["active", "invited"]),
  createdAt: z.string().datetime(),
  /** When the user's open one-time link stops working; null when they have none. */
  inviteExpiresAt: z.string().datetime().nullable(),
});
export type PartnerUserView = z.infer<typeof PartnerUserView>;

export const PartnerUserPage = z.object({
  users: z.array(PartnerUserView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type PartnerUserPage = z.infer<typeof PartnerUserPage>;

/** A freshly issued one-time link: the only time its URL exists outside the person's hands. */
export const IssuedLinkView = z.object({
  user: PartnerUserView,
  inviteUrl: z.string().url(),
  expiresAt: z.string().datetime(),
});
export type IssuedLinkView = z.infer<typeof IssuedLinkView>;

export const RemovedUserView = z.object({ id: z.string(), email: z.string(), sessionsEnded: z.number().int() });
export type RemovedUserView = z.infer<typeof RemovedUserView>;

/** The columns a view needs; `now` decides which links are still open. */
export function userViewSelect(now: Date) {
  return {
    id: true,
    name: true,
    email: true,
    role: true,
    createdAt: true,
    accounts: {
      where: { providerId: CREDENTIAL_PROVIDER, password: { not: null } },
      select: { id: true },
      take: 1,
    },
    invites: {
      where: { usedAt: null, supersededAt: null, expiresAt: { gt: now } },
      select: { expiresAt: true },
      orderBy: { expiresAt: "desc" },
      take: 1,
    },
  } satisfies Prisma.UserSelect;
}

type ViewRow = Prisma.UserGetPayload<{ select: ReturnType<typeof userViewSelect> }>;

export function toUserView(row: ViewRow): PartnerUserView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    // Rows are read with `role in PARTNER_ROLES`; a platform admin never belongs to a partner.
    role: row.role === "partner_admin" ? "partner_admin" : "partner_technician",
    status: row.accounts.length > 0 ? "active" : "invited",
    createdAt: row.createdAt.toISOString(),
    inviteExpiresAt: row.invites[0]?.expiresAt.toISOString() ?? null,
  };
}

/** The view of one user known to exist (read inside the transaction that just changed it). */
export async function readUserView(tx: Prisma.TransactionClient, userId: string): Promise<PartnerUserView> {
  return toUserView(await tx.user.findUniqueOrThrow({ where: { id: userId }, select: userViewSelect(new Date()) }));
}
