/**
 * Site credentials as partners manage them. Every function takes the partner id and refuses a site that
 * is not the partner's (404, the same answer as a site that does not exist). Passwords go in and are never
 * returned; check-ins read credentials fresh each time, so a change reaches the next check-in.
 * Each change commits in ONE transaction with its audit event and its outbox row ("credentials.changed":
 * the worker raises the site's scan flags), so the request path never touches Redis and a change can never
 * lose its scan flag, even if Redis is down or the process dies right after the commit.
 */
import { randomUUID } from "node:crypto";
import {
  CreateSiteCredentialRequest as CreateSchema,
  type CreateSiteCredentialRequest,
  type SiteCredentialSummary,
  UpdateSiteCredentialRequest as UpdateSchema,
  type UpdateSiteCredentialRequest,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import { badRequest, conflict, notFound } from "@/server/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import { addOutbox } from "@/server/jobs/outbox/add-outbox";
import { recordAuditEvent } from "../audit/record-audit-event";
import { decryptRecord, encryptRecord } from "../security/envelope";
import type { Actor } from "../shared/actor";
import { assertPartnerSite } from "../shared/site-ownership";

/** What the encrypted blob holds (the seed's encrypted_data JSON). */
export type CredentialSecret = {
  host: string | null;
  username: string;
  password: string;
  domain: string | null;
  use_ssl: boolean;
};

export const CREDENTIAL_TABLE = "site_credentials";
export const credentialRef = (siteId: string, id: string) => ({ table: CREDENTIAL_TABLE, siteId, id });

/**
 * The site's domain credential is its domain_admin credential WITHOUT a host (one entered with a host is a manual
 * WinRM target that happens to use a domain admin account). It has its own endpoints (directory/domain-credential.ts):
 * the generic list leaves it out, and the generic edit and delete refuse it, so it can never be given a host here.
 */
export const DOMAIN_CREDENTIAL_WHERE = { credentialType: "domain_admin", host: null } as const;

function refuseDomainCredential(row: { credentialType: string; host: string | null }): void {
  if (row.credentialType === DOMAIN_CREDENTIAL_WHERE.credentialType && row.host === null) {
    throw conflict(
      "This is the site's domain credential: replace it in the site's Active Directory section (POST /api/sites/{site_id}/domain-credentials).",
    );
  }
}

/** The columns a credential's summary shows (never the secret). */
export const SUMMARY_SELECT = {
  id: true,
  siteId: true,
  credentialType: true,
  credentialName: true,
  host: true,
  username: true,
  domain: true,
  useSsl: true,
  createdAt: true,
  updatedAt: true,
} as const;

type SummaryRow = {
  id: string;
  siteId: string;
  credentialType: SiteCredentialSummary["credential_type"];
  credentialName: string;
  host: string | null;
  username: string;
  domain: string | null;
  useSsl: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export function credentialSummary(r: SummaryRow): SiteCredentialSummary {
  return {
    id: r.id,
    site_id: r.siteId,
    credential_type: r.credentialType,
    credential_name: r.credentialName,
    host: r.host,
    username: r.username,
    domain: r.domain,
    use_ssl: r.useSsl,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export async function listSiteCredentials(db: Db, partnerId: string, siteId: string): Promise<SiteCredentialSummary[]> {
  await assertPartnerSite(db, partnerId, siteId);
  const rows = await db.siteCredential.findMany({
    where: { siteId, site: { partnerId }, NOT: DOMAIN_CREDENTIAL_WHERE },
    orderBy: { createdAt: "asc" },
    select: SUMMARY_SELECT,
  });
  return rows.map(credentialSummary);
}

/** The columns a secret sets: its display fields in clear, the whole secret encrypted and bound to the row. */
export function storedColumns(siteId: string, id: string, secret: CredentialSecret) {
  return {
    host: secret.host,
    username: secret.username,
    domain: secret.domain,
    useSsl: secret.use_ssl,
    ...encryptRecord(credentialRef(siteId, id), secret),
  };
}

/**
 * What every credential change commits with it, in its transaction: the audit event, and the outbox row
 * whose worker raises the site's scan flags (fresh credentials deserve a fresh scan).
 */
export async function recordCredentialChange(
  tx: Prisma.TransactionClient,
  change: {
    action: string;
    partnerId: string;
    siteId: string;
    id: string;
    actor: Actor;
    metadata?: Prisma.InputJsonValue;
    /** The work it implies: a scan (site credentials, the default) or an enumeration (the domain credential). */
    outbox?: "credentials.changed" | "domain-credential.changed";
  },
): Promise<void> {
  await recordAuditEvent(tx, {
    ...change.actor,
    action: change.action,
    partnerId: change.partnerId,
    siteId: change.siteId,
    targetType: "site_credential",
    targetId: change.id,
    metadata: change.metadata,
  });
  await addOutbox(tx, change.outbox ?? "credentials.changed", { siteId: change.siteId });
}

export async function createSiteCredential(
  db: Db,
  partnerId: string,
  siteId: string,
  raw: CreateSiteCredentialRequest,
  actor: Actor,
): Promise<SiteCredentialSummary> {
  const input = CreateSchema.parse(raw);
  await assertPartnerSite(db, partnerId, siteId);
  const id = randomUUID();
  const secret: CredentialSecret = {
    host: input.host ?? null,
    username: input.username,
    password: input.password,
    domain: input.domain ?? null,
    use_ssl: input.use_ssl,
  };
  const row = await db.$transaction(async (tx) => {
    const created = await tx.siteCredential.create({
      data: {
        id,
        siteId,
        credentialType: input.credential_type,
        credentialName: input.credential_name,
        ...storedColumns(siteId, id, secret),
      },
      select: SUMMARY_SELECT,
    });
    await recordCredentialChange(tx, {
      action: "credential.created",
      partnerId,
      siteId,
      id,
      actor,
      metadata: {
        credential_name: created.credentialName,
        credential_type: created.credentialType,
        host: created.host,
      },
    });
    return created;
  });
  return credentialSummary(row);
}

export async function updateSiteCredential(
  db: Db,
  partnerId: string,
  siteId: string,
  id: string,
  raw: UpdateSiteCredentialRequest,
  actor: Actor,
): Promise<SiteCredentialSummary> {
  const input = UpdateSchema.parse(raw);
  const existing = await db.siteCredential.findFirst({ where: { id, siteId, site: { partnerId } } });
  if (!existing) throw notFound("Credential not found.");
  refuseDomainCredential(existing);
  const old = decryptRecord<CredentialSecret>(credentialRef(siteId, id), existing);
  const retargeted =
    (input.host !== undefined && input.host !== old.host) ||
    (input.use_ssl !== undefined && input.use_ssl !== old.use_ssl);
  // Moving a stored password to another host (or off TLS) would let whoever edits the credential collect it
  // there: the password has to be typed again by someone who knows it.
  if (retargeted && !input.password) {
    throw badRequest(
      "Changing a credential's host or HTTPS setting needs its password again: enter the password with the change.",
    );
  }
  const secret: CredentialSecret = {
    host: input.host === undefined ? old.host : input.host,
    username: input.username ?? old.username,
    password: input.password ?? old.password,
    domain: input.domain === undefined ? old.domain : input.domain,
    use_ssl: input.use_ssl ?? old.use_ssl,
  };
  const row = await db.$transaction(async (tx) => {
    const updated = await tx.siteCredential.update({
      where: { id },
      data: {
        credentialName: input.credential_name ?? existing.credentialName,
        ...storedColumns(siteId, id, secret),
      },
      select: SUMMARY_SELECT,
    });
    await recordCredentialChange(tx, {
      action: "credential.updated",
      partnerId,
      siteId,
      id,
      actor,
      metadata: {
        credential_name: updated.credentialName,
        ...(updated.credentialName !== existing.credentialName ? { renamed_from: existing.credentialName } : {}),
        fields: Object.keys(input)
          .filter((k) => k !== "password")
          .concat(input.password ? ["password"] : []),
        ...(retargeted
          ? { host_from: old.host, host_to: secret.host, use_ssl_from: old.use_ssl, use_ssl_to: secret.use_ssl }
          : {}),
      },
    });
    return updated;
  });
  return credentialSummary(row);
}

export async function deleteSiteCredential(
  db: Db,
  partnerId: string,
  siteId: string,
  id: string,
  actor: Actor,
): Promise<{ deleted: true; id: string }> {
  await db.$transaction(async (tx) => {
    const existing = await tx.siteCredential.findFirst({
      where: { id, siteId, site: { partnerId } },
      select: { credentialType: true, host: true, credentialName: true },
    });
    if (existing) refuseDomainCredential(existing);
    const deleted = await tx.siteCredential.deleteMany({ where: { id, siteId, site: { partnerId } } });
    if (deleted.count === 0) throw notFound("Credential not found.");
    // The name goes into the audit row: the activity log still names the credential once its row is gone.
    await recordCredentialChange(tx, {
      action: "credential.deleted",
      partnerId,
      siteId,
      id,
      actor,
      metadata: {
        credential_name: existing?.credentialName ?? null,
        credential_type: existing?.credentialType ?? null,
      },
    });
  });
  return { deleted: true, id };
}
