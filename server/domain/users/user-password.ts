import { randomUUID } from "node:crypto";
import type { Prisma } from "@/server/generated/prisma/client";

/** better-auth's provider id for email + password accounts. */
export const CREDENTIAL_PROVIDER = "credential";

/**
 * Sets (or replaces) a user's sign-in password, given its argon2id hash: the one place that knows how
 * better-auth stores it (an `accounts` row with provider "credential"). A user has at most one such row.
 */
export async function setUserPassword(
  tx: Prisma.TransactionClient,
  userId: string,
  passwordHash: string,
): Promise<void> {
  const updated = await tx.account.updateMany({
    where: { userId, providerId: CREDENTIAL_PROVIDER },
    data: { password: passwordHash },
  });
  if (updated.count > 0) return;
  await tx.account.create({
    data: { id: randomUUID(), accountId: userId, providerId: CREDENTIAL_PROVIDER, userId, password: passwordHash },
  });
}

/** A where-filter for users who can sign in with a password (invited users until they set one cannot). */
export const HAS_PASSWORD = {
  accounts: { some: { providerId: CREDENTIAL_PROVIDER, password: { not: null } } },
} satisfies Prisma.UserWhereInput;
