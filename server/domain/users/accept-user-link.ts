/**
 * The public side of a one-time link (/invite/<token>): what it is for, and setting the password with it.
 * The token is the only credential: it names one user of one partner. Used once: one conditional UPDATE
 * marks it used, so two tabs submitting at once give exactly one success.
 */
import { z } from "zod";
import { UserPassword } from "@/server/contracts/users";
import type { Db } from "@/server/db";
import { type AppError, gone, notFound } from "@/server/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashPassword } from "../security/passwords";
import { userLinkHash } from "./user-links";
import { setUserPassword } from "./user-password";

export const UserLinkToken = z
  .string()
  .min(20, "is not a complete link")
  .max(200, "is not a valid link")
  .regex(/^[A-Za-z0-9_-]+$/, "is not a valid link");

export const UserLinkInfo = z.discriminatedUnion("state", [
  z.object({
    state: z.literal("valid"),
    kind: z.enum(["invite", "password_reset"]),
    email: z.string(),
    name: z.string(),
    partnerName: z.string(),
    expiresAt: z.string().datetime(),
  }),
  z.object({ state: z.enum(["unknown", "used", "superseded", "expired"]), message: z.string() }),
]);
export type UserLinkInfo = z.infer<typeof UserLinkInfo>;

const MESSAGES = {
  unknown: "This link is not valid. Check that you opened the whole link, or ask your partner admin for a new one.",
  used: "This link has already been used. Sign in with your password, or ask your partner admin for a new link.",
  superseded:
    "This link was replaced by a newer one. Use the latest link your partner admin gave you, or ask for a new one.",
  expired: "This link has expired (links work for 7 days). Ask your partner admin for a new one.",
} as const;

type LinkRow = { usedAt: Date | null; supersededAt: Date | null; expiresAt: Date };

function unusable(row: LinkRow | null, now: Date): keyof typeof MESSAGES | null {
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  if (row.supersededAt) return "superseded";
  if (row.expiresAt <= now) return "expired";
  return null;
}

function refusal(reason: keyof typeof MESSAGES): AppError {
  return reason === "unknown" ? notFound(MESSAGES.unknown) : gone(MESSAGES[reason]);
}

async function findLink(db: Db, token: string) {
  const parsed = UserLinkToken.safeParse(token);
  if (!parsed.success) return null;
  return db.userInvite.findUnique({
    where: { tokenHash: userLinkHash(parsed.data) },
    select: {
      id: true,
      kind: true,
      usedAt: true,
      supersededAt: true,
      expiresAt: true,
      user: { select: { id: true, email: true, name: true, partnerId: true } },
      partner: { select: { brandName: true } },
    },
  });
}

/** What the invite page shows: who the link is for, or why it no longer works. Reads only. */
export async function describeUserLink(db: Db, token: string): Promise<UserLinkInfo> {
  const row = await findLink(db, token);
  const reason = unusable(row, new Date());
  if (reason || !row) return { state: reason ?? "unknown", message: MESSAGES[reason ?? "unknown"] };
  return {
    state: "valid",
    kind: row.kind,
    email: row.user.email,
    name: row.user.name,
    partnerName: row.partner.brandName,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * Sets the user's password with a link and uses the link up. Every session the user had ends (after a
 * reset, whoever knew the old password is signed out). Audited. Returns the email to sign in with.
 * 404 for an unknown link, 410 for a used, replaced or expired one.
 */
export async function acceptUserLink(
  db: Db,
  input: { token: string; password: string },
  ip: string | null,
): Promise<{ email: string }> {
  const password = UserPassword.parse(input.password);
  const row = await findLink(db, input.token);
  const reason = unusable(row, new Date());
  if (reason || !row) throw refusal(reason ?? "unknown");
  // Hash before the transaction (argon2id is slow on purpose), and only for a link that looked valid.
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.userInvite.updateMany({
      where: { id: row.id, usedAt: null, supersededAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) {
      const again = await tx.userInvite.findUnique({ where: { id: row.id } });
      throw refusal(unusable(again, now) ?? "used");
    }
    await setUserPassword(tx, row.user.id, passwordHash);
    const sessions = await tx.session.deleteMany({ where: { userId: row.user.id } });
    await recordAuditEvent(tx, {
      action: row.kind === "invite" ? "user.invite_accepted" : "user.password_reset",
      actorType: "user",
      actorId: row.user.id,
      partnerId: row.user.partnerId,
      targetType: "user",
      targetId: row.user.id,
      ip,
      metadata: { email: row.user.email, sessions_ended: sessions.count },
    });
    return { email: row.user.email };
  });
}
