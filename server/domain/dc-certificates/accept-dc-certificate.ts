/**
 * A partner admin trusts a certificate a domain controller presents: the renewed certificate after a
 * certificate_changed alert (one DC, from the site page or REST), or the fingerprints compared beside the
 * domain credential form (all at once, when the credential is saved). Only the certificate a DC presents NOW
 * (its newest row) can be accepted: one it has since replaced answers 409, so the partner compares again.
 * Accepting makes it the DC's only trusted certificate (the previous one is deleted; the audit event keeps
 * its fingerprint). The REST/tRPC path commits the change, its audit event and the outbox row that asks the
 * site's appliances to enumerate again (with the new pin) together.
 */
import { AcceptDcCertificateRequest, type AcceptDcCertificateResponse } from "@/server/contracts";
import type { Db } from "@/server/db";
import { badRequest, conflict, notFound } from "@/server/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import { addOutbox } from "@/server/jobs/outbox/add-outbox";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor } from "../shared/actor";
import { assertPartnerSite } from "../shared/site-ownership";

type Tx = Prisma.TransactionClient;

/** Who accepts: the actor, a readable name (email or token label), and the user's id when it is a person. */
export type Acceptor = Actor & { by: string };

type CertRow = { id: string; domain: string; hostname: string; fingerprint: string; status: string };

const ROW = { id: true, domain: true, hostname: true, fingerprint: true, status: true } as const;

/** The certificate a DC presents now: its most recently seen row. */
function currentOf(tx: Tx, siteId: string, domain: string, hostname: string) {
  return tx.domainControllerCertificate.findFirst({
    where: { siteId, domain, hostname },
    orderBy: [{ lastSeen: "desc" }, { firstSeen: "desc" }],
    select: ROW,
  });
}

async function assertCurrent(tx: Tx, siteId: string, row: CertRow): Promise<void> {
  const current = await currentOf(tx, siteId, row.domain, row.hostname);
  if (current && current.id !== row.id) {
    throw conflict(
      `The domain controller ${row.hostname} now presents another certificate (SHA-256 ${current.fingerprint}), ` +
        `not ${row.fingerprint}. Reload the page and compare the fingerprint again.`,
    );
  }
}

/** Makes `row` the DC's only trusted certificate. Returns the fingerprint it replaced, if any. */
async function trust(tx: Tx, siteId: string, row: CertRow, who: Acceptor): Promise<string | null> {
  const previous = await tx.domainControllerCertificate.findFirst({
    where: { siteId, domain: row.domain, hostname: row.hostname, status: "trusted", id: { not: row.id } },
    select: { fingerprint: true },
  });
  await tx.domainControllerCertificate.deleteMany({
    where: { siteId, domain: row.domain, hostname: row.hostname, status: "trusted", id: { not: row.id } },
  });
  if (row.status !== "trusted") {
    await tx.domainControllerCertificate.update({
      where: { id: row.id },
      data: {
        status: "trusted",
        acceptedBy: who.by,
        acceptedByUserId: who.actorType === "user" ? (who.actorId ?? null) : null,
        acceptedAt: new Date(),
      },
    });
  }
  return previous?.fingerprint ?? null;
}

export async function acceptDcCertificate(
  db: Db,
  partnerId: string,
  siteId: string,
  raw: AcceptDcCertificateRequest,
  who: Acceptor,
): Promise<AcceptDcCertificateResponse> {
  const input = AcceptDcCertificateRequest.parse(raw);
  await assertPartnerSite(db, partnerId, siteId);
  return db.$transaction(async (tx) => {
    // Serializes acceptances and reports for this site's certificates with the partner's decision.
    await tx.$queryRaw`SELECT id FROM sites WHERE id = ${siteId} AND partner_id = ${partnerId} FOR UPDATE`;
    const row = await tx.domainControllerCertificate.findFirst({
      where: { siteId, site: { partnerId }, hostname: input.hostname, fingerprint: input.fingerprint },
      orderBy: { lastSeen: "desc" },
      select: ROW,
    });
    if (!row) throw notFound(`No domain controller ${input.hostname} of this site presented ${input.fingerprint}.`);
    await assertCurrent(tx, siteId, row);
    const replaced = await trust(tx, siteId, row, who);
    const { by: _by, ...actor } = who;
    await recordAuditEvent(tx, {
      ...actor,
      action: "dc_certificate.accepted",
      partnerId,
      siteId,
      targetType: "dc_certificate",
      targetId: row.id,
      metadata: { domain: row.domain, hostname: row.hostname, fingerprint: row.fingerprint, replaced },
    });
    await addOutbox(tx, "dc-certificate.accepted", { siteId });
    return { status: "accepted", domain: row.domain, hostname: row.hostname, fingerprint: row.fingerprint, replaced };
  });
}

/**
 * The fingerprints the partner compared beside the domain credential form, in the credential's transaction.
 * Optional as a whole; when given it must not be empty unless the partner supplied the CA instead (400), each
 * fingerprint must be one a DC of this domain presented (400), and the one it presents now (409).
 */
export async function acceptCertificatesWithCredential(
  tx: Tx,
  siteId: string,
  domain: string,
  input: { fingerprints: string[] | undefined; caPem: boolean },
  who: Acceptor,
): Promise<Array<{ hostname: string; fingerprint: string; replaced: string | null }>> {
  const { fingerprints } = input;
  if (fingerprints === undefined) return [];
  if (fingerprints.length === 0 && !input.caPem) {
    throw badRequest(
      "accept_certificates is empty: list the domain controllers' fingerprints you compared, or supply the CA (ca_pem) that issued their certificates.",
    );
  }
  const accepted: Array<{ hostname: string; fingerprint: string; replaced: string | null }> = [];
  for (const fingerprint of new Set(fingerprints)) {
    const rows = await tx.domainControllerCertificate.findMany({ where: { siteId, domain, fingerprint }, select: ROW });
    if (rows.length === 0) {
      throw badRequest(
        `No domain controller of ${domain} presented the certificate ${fingerprint}: accept only fingerprints shown beside the form.`,
      );
    }
    for (const row of rows) {
      await assertCurrent(tx, siteId, row);
      accepted.push({ hostname: row.hostname, fingerprint, replaced: await trust(tx, siteId, row, who) });
    }
  }
  return accepted;
}
