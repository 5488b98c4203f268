/**
 * What trigger_enumeration does: fetch the site's domain credential (its password sealed to this appliance),
 * open it into a Secret (never logged, never written), enumerate the domain with the directory library, and
 * report the result, or the library's error code and message, to Central Command (through the outbox). A
 * credential that cannot be fetched (refused, or still failing after retries) is reported as
 * `credential_fetch_failed` under the latest discovered domain.
 *
 * DCs come from the latest discovery when it found the credential's domain, else from a discovery of that
 * domain alone. Trust per DC: the partner's CA (`ca_pem`) when given, else the fingerprint Central Command
 * trusts (the release's dc_certificates, written over dc-pins.json first), else the local pin (dc-pins.ts), else
 * first use (which pins). The certificate the run trusted is reported with the results; a changed one is
 * reported with the failure (new certificate and old fingerprint), so the partner can compare and accept it. Only an unreachable or slow DC moves on to the next one, within one
 * time budget (OSIRIS_AD_ENUMERATION_BUDGET_S, default 60 s): a refused password is never tried elsewhere.
 */
import type { KeyObject } from "node:crypto";
import {
  type DomainCredentialRelease,
  domainCredentialBinding,
  type EnumerationFailedRequest,
  type EnumerationResultsRequest,
} from "../../../server/contracts";
import { unsealSecret } from "../crypto/sealed-box";
import { Secret } from "../crypto/secret";
import { DirectoryError } from "../directory/directory-error";
import type { DiscoveryResult } from "../directory/discovery/discover-domain";
import {
  type EnumerateDomainOptions,
  type EnumerationResult,
  enumerateDomain,
} from "../directory/enumeration/enumerate-domain";
import type { DirectoryDns } from "../directory/net/directory-dns";
import { wireCertificate } from "./dc-certificate-wire";
import type { DcPins } from "./dc-pins";
import type { DiscoveredDomain } from "./domain-discovery-loop";
import { enumerationPosts } from "./enumeration-posts";
import type { CredentialFetch } from "./fetch-domain-credential";

export const DEFAULT_ENUMERATION_BUDGET_MS = 60_000;

export interface RunEnumerationOptions {
  applianceId: string;
  privateKey: KeyObject;
  dns: DirectoryDns;
  pins: DcPins;
  budgetMs?: number;
  /** The latest discovery, if any. */
  discovered: DiscoveredDomain | undefined;
  /** Discovery of one named domain (when the latest discovery did not find it). */
  discover: (candidates: string[]) => Promise<DiscoveryResult>;
  /** The site's domain credential, retried on transient failures (fetch-domain-credential.ts). */
  fetchCredential: () => Promise<CredentialFetch>;
  /**
   * Journal a report in the outbox at the call (before any await) and resolve once Central Command acknowledged
   * it (true) or it was set aside (false).
   */
  postResults: (body: EnumerationResultsRequest) => Promise<boolean>;
  postFailed: (body: EnumerationFailedRequest) => Promise<boolean>;
  log: (line: string) => void;
  now: () => Date;
  /** Library options the tests pin (WinRM probe, staleness "now"); onPage lets the benchmark time the search. */
  enumerate?: Partial<Pick<EnumerateDomainOptions, "winrm" | "now" | "modes" | "onPage">>;
}

export type EnumerationOutcome =
  | { status: "no-credential"; reason: string }
  | { status: "failed"; code: string; message: string; reported: boolean }
  | { status: "reported"; posts: number; servers: number; workstations: number; partial: boolean; delivered: boolean };

/** user@domain, DOMAIN\user and DNs are the library's forms; a bare name is taken as name@domain. */
export function bindName(username: string, domain: string): string {
  return /[@\\=]/.test(username) ? username : `${username}@${domain}`;
}

function openPassword(release: DomainCredentialRelease, privateKey: KeyObject, applianceId: string): Secret | string {
  if (release.sealed_password === undefined) {
    return "Central Command sent the domain password unsealed; this appliance only accepts a password sealed to its key.";
  }
  try {
    const binding = domainCredentialBinding({
      applianceId,
      credentialId: release.credential_id,
      domain: release.domain,
      username: release.username,
    });
    return new Secret(unsealSecret(release.sealed_password, privateKey, binding));
  } catch {
    return "The domain password Central Command sent does not open with this appliance's key (sealed for another appliance, credential or domain). Enter the domain credential again on the site page.";
  }
}

function postFailure(
  opts: RunEnumerationOptions,
  domain: string,
  code: string,
  message: string,
  certificate?: EnumerationFailedRequest["certificate"],
): Promise<boolean> {
  return opts.postFailed({
    appliance_id: opts.applianceId,
    domain,
    code,
    error: message.length <= 2000 ? message : `${message.slice(0, 1999)}…`,
    failed_at: opts.now().toISOString(),
    ...(certificate ? { certificate } : {}),
  });
}

/** A certificate_changed error as the failure report's certificate block: the new certificate, the old pin. */
function changedCertificate(error: DirectoryError): EnumerationFailedRequest["certificate"] {
  const d = error.details;
  if (error.code !== "certificate_changed" || !d.dc || !d.presentedSha256 || !d.presented) return undefined;
  return {
    hostname: d.dc,
    ...wireCertificate({ sha256: d.presentedSha256, ...d.presented }),
    ...(d.pinnedSha256 ? { previous_sha256: d.pinnedSha256 } : {}),
  };
}

export async function runEnumeration(opts: RunEnumerationOptions): Promise<EnumerationOutcome> {
  const fetched = await opts.fetchCredential();
  if (!fetched.ok) {
    opts.log(`enumeration not started: ${fetched.reason}`);
    // The report names a domain: the latest discovery's (without one there is nothing to report it under).
    const known = opts.discovered?.domain;
    if (fetched.stopped || known === undefined) return { status: "no-credential", reason: fetched.reason };
    const reported = await postFailure(opts, known, "credential_fetch_failed", fetched.reason);
    return { status: "failed", code: "credential_fetch_failed", message: fetched.reason, reported };
  }
  const release = fetched.release;
  const domain = release.domain.toLowerCase();
  const fail = async (
    code: string,
    message: string,
    certificate?: EnumerationFailedRequest["certificate"],
  ): Promise<EnumerationOutcome> => {
    opts.log(`enumeration of ${domain} failed (${code}): ${message}`);
    const reported = await postFailure(opts, domain, code, message, certificate);
    return { status: "failed", code, message, reported };
  };

  if (release.dc_certificates?.length) {
    const changed = opts.pins.applyServerPins(release.dc_certificates);
    if (changed.length) opts.log(`pins from Central Command for ${changed.join(", ")}`);
  }

  const password = openPassword(release, opts.privateKey, opts.applianceId);
  if (!(password instanceof Secret)) return fail("credential_unusable", password);

  let controllers = opts.discovered?.domain === domain ? opts.discovered.domainControllers : undefined;
  if (!controllers) {
    const found = await opts.discover([domain]);
    if (!found.ok) return fail("no_domain_found", found.message);
    controllers = found.domainControllers;
  }

  const budgetMs = opts.budgetMs ?? DEFAULT_ENUMERATION_BUDGET_MS;
  const deadline = Date.now() + budgetMs;
  const username = bindName(release.username, domain);
  let result: EnumerationResult | undefined;
  let lastError: DirectoryError | undefined;
  for (const dc of controllers) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const pinned = release.ca_pem ? undefined : opts.pins.get(dc.hostname);
    const trust = release.ca_pem ? { caPem: release.ca_pem } : pinned ? { pinnedSha256: pinned } : {};
    try {
      result = await enumerateDomain({
        domain,
        domainControllers: [{ hostname: dc.hostname }],
        username,
        password,
        trust,
        dns: opts.dns,
        budgetMs: remaining,
        ...opts.enumerate,
      });
      break;
    } catch (err) {
      const error =
        err instanceof DirectoryError
          ? err
          : new DirectoryError("ldap_error", `Enumeration of ${domain} failed on the appliance: ${String(err)}`);
      if (error.code !== "dc_unreachable" && error.code !== "dc_timeout") {
        return fail(error.code, error.message, changedCertificate(error));
      }
      lastError = error;
      opts.log(`domain controller ${dc.hostname} did not answer (${error.message}); trying the next one`);
    }
  }
  if (!result) {
    return lastError
      ? fail(lastError.code, lastError.message)
      : fail("dc_unreachable", `No domain controller of ${domain} answered within ${Math.round(budgetMs / 1000)} s.`);
  }

  if (result.certificate.trustedBy === "first-use") {
    opts.pins.set(result.dc.hostname, result.certificate.sha256);
    opts.log(`pinned the certificate of ${result.dc.hostname} on first use: SHA-256 ${result.certificate.sha256}`);
  }
  const { posts, refused } = enumerationPosts({
    applianceId: opts.applianceId,
    domain,
    servers: result.servers,
    workstations: result.workstations,
    enumeratedAt: result.enumerated_at,
    partial: result.partial,
    dcCertificate: {
      hostname: result.dc.hostname,
      ...wireCertificate(result.certificate),
      trusted_by: result.certificate.trustedBy,
    },
  });
  if (refused.length > 0) {
    opts.log(
      `left out ${refused.length} computer(s) whose names Central Command does not take: ${refused.slice(0, 5).join(", ")}`,
    );
  }
  opts.log(
    `enumerated ${domain} from ${result.dc.hostname} (${result.dc.mode}): ${result.servers.length} server(s), ` +
      `${result.workstations.length} workstation(s)${result.partial ? ", partial (time budget ran out)" : ""} in ${result.elapsedMs} ms; ` +
      `sending ${posts.length} post(s)`,
  );
  // Every post is journaled before the first is sent, so a restart in between loses no chunk of the run.
  const delivered = (await Promise.all(posts.map((post) => opts.postResults(post)))).every(Boolean);
  return {
    status: "reported",
    posts: posts.length,
    servers: result.servers.length,
    workstations: result.workstations.length,
    partial: result.partial,
    delivered,
  };
}
