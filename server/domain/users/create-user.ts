import { randomUUID } from "node:crypto";
import { badRequest } from "@/server/errors";
import type { Prisma, UserRole } from "@/server/generated/prisma/client";
import { hashPassword } from "../security/passwords";

export type CreateUserInput = {
  email: string;
  name: string;
  password: string;
  role: UserRole;
  partnerId: string | null;
};

/**
 * Creates a user with an email + password account in better-auth's tables (provider "credential",
 * argon2id hash). Partner roles need a partner; platform admins have none.
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
  await tx.account.create({
    data: {
      id: randomUUID(),
      accountId: id,
      providerId: "credential",
      userId: id,
      password: await hashPassword(input.password),
    },
  });
  return user;
}
