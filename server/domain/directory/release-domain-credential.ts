/**
 * GET /api/sites/{site_id}/domain-credentials for an appliance of that site: the domain credential it needs to
 * enumerate AD. An appliance with a public key gets it sealed (sealed-secret.ts; the binding names the
 * appliance, the credential id, the domain and the username, so the envelope opens nowhere else), never in
 * clear; a client that registered no key gets the seed's plain password. Like a check-in, the release is
 * committed to the credential access log BEFORE the answer: no password leaves without an audit row (if the
 * log cannot be written the caller gets 503 and no password).
 */
import { type DomainCredentialRelease, domainCredentialBinding } from "@/server/contracts";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import type { AppliancePrincipal } from "../appliances/authenticate-appliance";
import { recordCredentialReleases } from "../credential-access/record-credential-releases";
import { type CredentialSecret, credentialRef } from "../credentials/site-credentials";
import { listTrustedDcCertificates } from "../dc-certificates/record-dc-certificate";
import { decryptRecord } from "../security/envelope";
import { createSealer } from "../security/sealed-box";
import { findDomainCredential } from "./domain-credential";

export async function releaseDomainCredential(
  db: Db,
  principal: AppliancePrincipal,
  siteId: string,
): Promise<DomainCredentialRelease> {
  // Another site's id: the same 404 as a site that does not exist.
  if (siteId !== principal.siteId) throw notFound(`Site "${siteId}" not found.`);
  const [row, appliance] = await Promise.all([
    findDomainCredential(db, siteId),
    db.appliance.findUniqueOrThrow({ where: { id: principal.applianceId }, select: { publicKey: true } }),
  ]);
  if (!row) {
    throw notFound("This site has no domain credential yet. A partner admin enters it in Central Command.");
  }
  const secret = decryptRecord<CredentialSecret>(credentialRef(siteId, row.id), row);
  const domain = secret.domain ?? row.domain ?? "";
  const username = secret.username;
  await recordCredentialReleases({
    siteId,
    applianceId: principal.applianceId,
    credentialIds: [row.id],
    releasedAt: new Date(),
  });
  // The partner's certificate decisions: the appliance pins these before its own pins and first use.
  const dcCertificates = await listTrustedDcCertificates(db, siteId, domain);
  const base = { credential_id: row.id, domain, username, ca_pem: row.caPem, dc_certificates: dcCertificates };
  if (!appliance.publicKey) return { ...base, password: secret.password };
  const { credentialId, hostname } = domainCredentialBinding({
    applianceId: principal.applianceId,
    credentialId: row.id,
    domain,
    username,
  });
  const seal = createSealer(appliance.publicKey, principal.applianceId);
  return { ...base, sealed_password: seal(secret.password, { credentialId, hostname, username }) };
}
