/**
 * The site's ONE domain credential (type domain_admin): entered by a partner admin (or a full-scope token),
 * stored encrypted like every site credential, never returned to a partner. Entering one replaces the previous
 * one (the site row is locked, so two concurrent entries leave exactly one), moves the approved discovered
 * servers to it, and commits with its audit event and an outbox row whose worker raises trigger_enumeration for
 * the site's appliances: the request path never touches Redis. The DC certificate fingerprints the partner
 * compared beside the form (`accept_certificates`) become trusted in the same transaction.
 */
import { randomUUID } from "node:crypto";
import {
  CreateDomainCredentialRequest,
  type DomainCredentialMetadata,
  type DomainCredentialSummary,
} from "@/server/contracts";
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import {
  type CredentialSecret,
  credentialSummary,
  DOMAIN_CREDENTIAL_WHERE,
  recordCredentialChange,
  SUMMARY_SELECT,
  storedColumns,
} from "../credentials/site-credentials";
import { acceptCertificatesWithCredential } from "../dc-certificates/accept-dc-certificate";
import type { Actor } from "../shared/actor";
import { assertPartnerSite } from "../shared/site-ownership";

const SELECT = { ...SUMMARY_SELECT, caPem: true, firstRunId: true } as const;

type Row = Prisma.SiteCredentialGetPayload<{ select: typeof SELECT }>;

function toSummary(r: Row): DomainCredentialSummary {
  return { ...credentialSummary(r), ca_pem: r.caPem, first_run_id: r.firstRunId };
}

/** The site's current domain credential row (the newest, should an old database hold more than one). */
export function findDomainCredential(db: Db | Prisma.TransactionClient, siteId: string) {
  return db.siteCredential.findFirst({
    where: { siteId, ...DOMAIN_CREDENTIAL_WHERE },
    orderBy: { createdAt: "desc" },
    select: { ...SELECT, encryptedData: true, wrappedDataKey: true, masterKeyId: true },
  });
}

export async function setDomainCredential(
  db: Db,
  partnerId: string,
  siteId: string,
  raw: CreateDomainCredentialRequest,
  actor: Actor & { by?: string },
): Promise<DomainCredentialSummary> {
  const input = CreateDomainCredentialRequest.parse(raw);
  await assertPartnerSite(db, partnerId, siteId);
  const id = randomUUID();
  const secret: CredentialSecret = {
    host: null,
    username: input.username,
    password: input.password,
    domain: input.domain,
    use_ssl: true,
  };
  const row = await db.$transaction(async (tx) => {
    // Serializes entries for this site: the delete below then always sees the previous credential.
    await tx.$queryRaw`SELECT id FROM sites WHERE id = ${siteId} AND partner_id = ${partnerId} FOR UPDATE`;
    // The fingerprints the partner compared beside the form become trusted (400/409 before anything is stored).
    const { by, ...who } = actor;
    const accepted = await acceptCertificatesWithCredential(
      tx,
      siteId,
      input.domain,
      { fingerprints: input.accept_certificates, caPem: Boolean(input.ca_pem) },
      { ...who, by: by ?? who.actorType },
    );
    const previous = await tx.siteCredential.findMany({
      where: { siteId, ...DOMAIN_CREDENTIAL_WHERE },
      select: { id: true },
    });
    const domain = await tx.discoveredDomain.findUnique({
      where: { siteId_domainName: { siteId, domainName: input.domain } },
      select: { id: true },
    });
    const created = await tx.siteCredential.create({
      data: {
        id,
        siteId,
        credentialType: "domain_admin",
        credentialName: `Domain admin (${input.domain})`,
        caPem: input.ca_pem ?? null,
        discoveredDomainId: domain?.id ?? null,
        ...storedColumns(siteId, id, secret),
      },
      select: SELECT,
    });
    // Servers already approved keep working with the new credential; those awaiting approval stay without.
    const previousIds = previous.map((p) => p.id);
    if (previousIds.length) {
      await tx.windowsTarget.updateMany({
        where: { siteId, credentialId: { in: previousIds } },
        data: { credentialId: id, updatedAt: new Date() },
      });
      await tx.siteCredential.deleteMany({ where: { id: { in: previousIds }, siteId } });
    }
    await recordCredentialChange(tx, {
      action: previousIds.length ? "domain_credential.replaced" : "domain_credential.created",
      partnerId,
      siteId,
      id,
      actor: who,
      metadata: {
        domain: input.domain,
        username: input.username,
        ca_pem: Boolean(input.ca_pem),
        replaced: previousIds,
        ...(accepted.length ? { accepted_certificates: accepted } : {}),
      },
      outbox: "domain-credential.changed",
    });
    return created;
  });
  return toSummary(row);
}

/** What a partner (admin or technician, token of any scope) sees: metadata, never the password. */
export async function getDomainCredentialMetadata(
  db: Db,
  partnerId: string,
  siteId: string,
): Promise<DomainCredentialMetadata> {
  await assertPartnerSite(db, partnerId, siteId);
  const row = await db.siteCredential.findFirst({
    where: { siteId, site: { partnerId }, ...DOMAIN_CREDENTIAL_WHERE },
    orderBy: { createdAt: "desc" },
    select: SELECT,
  });
  return { credential: row ? toSummary(row) : null, entered_by: row ? await findEnteredBy(db, siteId, row.id) : null };
}

/** Who entered the credential, from its audit event: a user's name and email, or the token's name. */
async function findEnteredBy(
  db: Db,
  siteId: string,
  credentialId: string,
): Promise<DomainCredentialMetadata["entered_by"]> {
  const event = await db.auditEvent.findFirst({
    where: {
      siteId,
      action: { in: ["domain_credential.created", "domain_credential.replaced"] },
      targetType: "site_credential",
      targetId: credentialId,
    },
    orderBy: { createdAt: "desc" },
    select: { actorType: true, actorId: true, createdAt: true },
  });
  if (!event) return null;
  const at = event.createdAt.toISOString();
  if (event.actorType === "user" && event.actorId) {
    const user = await db.user.findUnique({ where: { id: event.actorId }, select: { name: true, email: true } });
    return { actor_type: "user", name: user?.name ?? null, email: user?.email ?? null, at };
  }
  if (event.actorType === "partner_token" && event.actorId) {
    const token = await db.partnerApiToken.findUnique({ where: { id: event.actorId }, select: { name: true } });
    return { actor_type: "token", name: token?.name ?? null, email: null, at };
  }
  return { actor_type: "system", name: null, email: null, at };
}
