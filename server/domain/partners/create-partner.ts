import { z } from "zod";
import { HexColor, NewPartnerSlug } from "@/server/contracts";
import type { Db } from "@/server/db";
import { conflict } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { MIN_PASSWORD_LENGTH } from "../security/passwords";
import { mintPartnerToken } from "../tokens/mint-partner-token";
import { createUser } from "../users/create-user";

export const CreatePartnerInput = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(100),
  slug: NewPartnerSlug,
  color: HexColor,
  email: z.string().trim().toLowerCase().email("must be an email address"),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`),
});
export type CreatePartnerInput = z.input<typeof CreatePartnerInput>;

/**
 * Creates a partner, its first partner admin and its first API token, in one transaction.
 * Platform-admin only (the CLI and seed call it). Returns the token once; only its hash is kept.
 */
export async function createPartner(db: Db, raw: CreatePartnerInput) {
  const input = CreatePartnerInput.parse(raw);
  try {
    return await db.$transaction(async (tx) => {
      const partner = await tx.partner.create({
        data: { slug: input.slug, brandName: input.name, primaryColor: input.color },
      });
      const user = await createUser(tx, {
        email: input.email,
        name: `${input.name} admin`,
        password: input.password,
        role: "partner_admin",
        partnerId: partner.id,
      });
      const token = await mintPartnerToken(tx, partner.id, { name: "initial", scope: "full" });
      await recordAuditEvent(tx, {
        action: "partner.created",
        actorType: "system",
        partnerId: partner.id,
        targetType: "partner",
        targetId: partner.id,
      });
      return { partner, user, apiToken: token.token };
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const target = String(err.meta?.target ?? "");
      if (target.includes("email")) throw conflict(`A user with email ${input.email} already exists.`);
      throw conflict(`A partner with slug "${input.slug}" already exists. Choose another slug.`);
    }
    throw err;
  }
}
