import { randomUUID } from "node:crypto";
import { badRequest } from "@/server/errors";
import type { Prisma, UserRole } from "@/server/generated/prisma/client";
import { hashPassword } from "../security/passwords";
import { setUserPassword } from "./user-password";

export type CreateUserInput = {
  email: string;
  name: string;
  /** Omitted: no password account yet; the user sets one through an invite link (invite-user.ts). */
  password?: string;
  role: UserRole;
  partnerId: string | null;
};

/**
 * Creates a user with an email + password account in better-auth's tables (provider "credential",
 * argon2id hash). Partner roles need a partner; platform admins have none. Without a password the user
 * cannot sign in until they set one (user-password.ts).
 */
export async function createUser(tx: Prisma.TransactionClient, input: CreateUserInput) {
  const isPlatform = input.role === "platform_admin";
  if (isPlatform && input.partnerId) throw badRequest("A platform admin does not belong to a partner.");
  if (!isPlatform && !input.partnerId) throw badRequest("A partner user needs a partner.");
  const id = randomUUID();
  const user = await tx.user.create({
    data: {
      id,
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      partnerId: input.partnerId,
      emailVerified: true,
    },
  });
  if (input.password !== undefined) await setUserPassword(tx, id, await hashPassword(input.password));
  return user;
}
