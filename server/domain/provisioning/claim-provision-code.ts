/**
 * The appliance side of provisioning: validate a code, and claim it. The claim is one conditional
 * UPDATE inside a transaction, so any number of concurrent claims of one code produce exactly one
 * winner; the losers see the code as claimed. Every attempt, won or lost, is audited with its IP.
 */
import {
  type ClaimRequest,
  type ClaimResponse,
  ClaimRequest as ClaimSchema,
  PROVISION_ERRORS,
  type ValidateResponse,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { type AppError, conflict, gone, notFound } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { APPLIANCE_KEY_PURPOSE } from "../appliances/authenticate-appliance";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashSecret } from "../security/secrets";
import { codeState, hashProvisionCode, makeSiteId } from "./codes";

function stateError(state: ReturnType<typeof codeState>): AppError {
  if (state === "claimed") return conflict(PROVISION_ERRORS.claimed);
  return gone(PROVISION_ERRORS.expired); // expired or revoked
}

export async function validateProvisionCode(db: Db, code: string): Promise<ValidateResponse> {
  const row = await db.provisionCode.findUnique({
    where: { codeHash: hashProvisionCode(code) },
    select: {
      expiresAt: true,
      claimedAt: true,
      revokedAt: true,
      partner: { select: { brandName: true, primaryColor: true } },
    },
  });
  if (!row) throw notFound(PROVISION_ERRORS.invalid);
  const state = codeState(row);
  if (state !== "pending") throw stateError(state);
  return {
    valid: true,
    partner: { brand_name: row.partner.brandName, primary_color: row.partner.primaryColor },
    expires_at: row.expiresAt.toISOString(),
  };
}

export async function claimProvisionCode(
  db: Db,
  raw: ClaimRequest,
  ctx: { ip: string | null; apiEndpoint: string },
): Promise<ClaimResponse> {
  const input = ClaimSchema.parse(raw);
  const codeHash = hashProvisionCode(input.provision_code);
  const audit = (result: string, extra: { partnerId?: string; siteId?: string; applianceId?: string } = {}) =>
    recordAuditEvent(db, {
      action: "provision.claim",
      actorType: extra.applianceId ? "appliance" : "anonymous",
      actorId: extra.applianceId ?? null,
      partnerId: extra.partnerId ?? null,
      siteId: extra.siteId ?? null,
      ip: ctx.ip,
      targetType: "provision_code",
      metadata: { result, mac_address: input.mac_address, hostname: input.hostname },
    });

  try {
    const claimed = await db.$transaction(async (tx) => {
      const won = await tx.$queryRaw<
        Array<{ id: string; partner_id: string; site_id: string | null; client_name: string }>
      >`
        UPDATE provision_codes SET claimed_at = now()
        WHERE code_hash = ${codeHash} AND claimed_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING id, partner_id, site_id, client_name`;
      const code = won[0];
      if (!code) return null;

      const partner = await tx.partner.findUniqueOrThrow({
        where: { id: code.partner_id },
        select: { slug: true, brandName: true, primaryColor: true },
      });
      const siteId = code.site_id ?? makeSiteId(partner.slug, code.client_name);
      if (!code.site_id)
        await tx.site.create({ data: { id: siteId, partnerId: code.partner_id, clientName: code.client_name } });
      const applianceId = `${siteId}-${input.mac_address}`;
      const fields = {
        hostname: input.hostname,
        apiKeyHash: hashSecret(input.api_key, APPLIANCE_KEY_PURPOSE),
        publicKey: input.public_key ?? null,
        status: "provisioning" as const,
        provisionStatus: "claimed",
        provisionProgress: 10,
        provisionMessage: "Provision code claimed",
        lastCheckinAt: new Date(),
      };
      // A box re-provisioned into the same site with a fresh code gets its new key; the old one stops working.
      // A revoked box comes back this way too (a partner made the new code for it): the revocation ends with
      // its old key, which is gone, and so does whatever it last reported.
      await tx.appliance.upsert({
        where: { id: applianceId },
        create: { id: applianceId, siteId, macAddress: input.mac_address, ...fields },
        update: { ...fields, revokedAt: null, revokedBy: null, unusableTargets: Prisma.DbNull, unusableSince: null },
      });
      await tx.provisionCode.update({ where: { id: code.id }, data: { applianceId, siteId } });
      return { partnerId: code.partner_id, siteId, applianceId, partner };
    });

    if (claimed) {
      await audit("claimed", claimed);
      return {
        status: "claimed",
        site_id: claimed.siteId,
        appliance_id: claimed.applianceId,
        partner: {
          slug: claimed.partner.slug,
          brand_name: claimed.partner.brandName,
          primary_color: claimed.partner.primaryColor,
        },
        api_endpoint: ctx.apiEndpoint,
      };
    }
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      await audit("key_conflict");
      throw conflict("This api_key is already registered to an appliance. Generate a new key and claim again.");
    }
    throw err;
  }

  // Lost: say why, from the row as it is now.
  const row = await db.provisionCode.findUnique({
    where: { codeHash },
    select: { partnerId: true, expiresAt: true, claimedAt: true, revokedAt: true },
  });
  if (!row) {
    await audit("invalid");
    throw notFound(PROVISION_ERRORS.invalid);
  }
  const state = codeState(row);
  await audit(state === "pending" ? "claimed" : state, { partnerId: row.partnerId });
  throw stateError(state === "pending" ? "claimed" : state);
}
