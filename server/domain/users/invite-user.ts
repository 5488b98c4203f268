import { InviteUserRequest } from "@/server/contracts/users";
import type { Db } from "@/server/db";
import { conflict } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { createUser } from "./create-user";
import { issueUserLink } from "./user-links";
import { type IssuedLinkView, readUserView } from "./user-views";

const taken = (email: string) =>
  conflict(`A user with the email ${email} already exists. Each person signs in with their own email address.`);

/**
 * Invites a person into the partner's team (partner admins only; callers enforce it): creates the user
 * without a password and a one-time link, valid 7 days, with which they set one. The link is returned
 * once. User, link and audit event commit together. Emails are unique across the product: 409.
 */
export async function inviteUser(
  db: Db,
  partnerId: string,
  raw: InviteUserRequest,
  actor: Actor,
): Promise<IssuedLinkView> {
  const input = InviteUserRequest.parse(raw);
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw taken(input.email);
      const user = await createUser(tx, { ...input, partnerId });
      const link = await issueUserLink(tx, { userId: user.id, partnerId, kind: "invite" });
      await recordAuditEvent(tx, {
        ...actor,
        action: "user.invited",
        partnerId,
        targetType: "user",
        targetId: user.id,
        metadata: { email: user.email, name: user.name, role: user.role, expires_at: link.expiresAt.toISOString() },
      });
      return {
        user: await readUserView(tx, user.id),
        inviteUrl: link.inviteUrl,
        expiresAt: link.expiresAt.toISOString(),
      };
    });
  } catch (err) {
    // Two invitations of the same email at once: the unique index decides, the loser gets the same 409.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw taken(input.email);
    throw err;
  }
}
