/**
 * What the appliance tells Central Command about DC certificates, and how it takes Central Command's pins:
 * the per-DC certificate (or why none) in the discovery report, the trusted certificate with enumeration
 * results, and the server's pins written over dc-pins.json. The end-to-end path against Samba and the real
 * server is tests/integration/dc-certificates.int.test.ts.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CreateDomainCredentialRequest,
  DomainCredentialRelease,
  type DomainDiscoveredRequest,
  DomainDiscoveredRequest as DomainDiscoveredSchema,
  EnumerationFailedRequest,
  EnumerationResultsRequest,
} from "../../../server/contracts";
import { wireCertificate, withCertificate } from "../../src/ad-sync/dc-certificate-wire";
import { DcPins } from "../../src/ad-sync/dc-pins";
import { DomainDiscoveryLoop } from "../../src/ad-sync/domain-discovery-loop";
import { enumerationPosts } from "../../src/ad-sync/enumeration-posts";
import { DirectoryError } from "../../src/directory/directory-error";
import type { DiscoveryResult } from "../../src/directory/discovery/discover-domain";
import type { DcCertificateReport } from "../../src/directory/ldap/read-dc-certificate";

const A = `${"AA:".repeat(31)}AA`;
const B = `${"BB:".repeat(31)}BB`;
const C = `${"CC:".repeat(31)}CC`;
const DC1 = { hostname: "dc1.clinic.local", port: 389, priority: 0, weight: 100 };
const DC2 = { hostname: "dc2.clinic.local", port: 389, priority: 1, weight: 100 };

function report(sha256: string): DcCertificateReport {
  return {
    sha256,
    subject: "CN=dc1.clinic.local",
    issuer: "CN=Clinic Issuing CA, DC=clinic, DC=local",
    validTo: "Dec  3 02:46:56 2027 GMT",
    mode: "ldaps",
    port: 636,
  };
}

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), "osiris-dc-certs-"));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

describe("Central Command's pins", () => {
  it("win over the local pin of the same DC, keep other local pins, and write only on a change", () => {
    const pins = new DcPins(stateDir);
    pins.set("DC1.clinic.local", A);
    pins.set("dc2.clinic.local", B);
    expect(pins.applyServerPins([{ hostname: "dc1.CLINIC.local", sha256: C.toLowerCase() }])).toEqual([
      "dc1.clinic.local",
    ]);
    expect(pins.read()).toEqual({ "dc1.clinic.local": C, "dc2.clinic.local": B });
    expect(statSync(pins.file).mode & 0o777).toBe(0o600);
    // The same list again changes nothing (and does not rewrite the file: an atomic write is a new inode).
    const before = statSync(pins.file).ino;
    expect(pins.applyServerPins([{ hostname: "dc1.clinic.local", sha256: C }])).toEqual([]);
    expect(statSync(pins.file).ino).toBe(before);
    pins.applyServerPins([{ hostname: "dc2.clinic.local", sha256: A }]);
    expect(statSync(pins.file).ino).not.toBe(before);
    // Something that is not a fingerprint is never pinned.
    expect(pins.applyServerPins([{ hostname: "dc3.clinic.local", sha256: "not-a-fingerprint" }])).toEqual([]);
    expect(pins.get("dc3.clinic.local")).toBeUndefined();
  });
});

describe("certificates on the wire", () => {
  it("sends the fingerprint, names and expiry, or why none could be read, per DC", () => {
    expect(withCertificate(DC1, report(A))).toEqual({
      ...DC1,
      certificate: {
        sha256: A,
        subject: "CN=dc1.clinic.local",
        issuer: "CN=Clinic Issuing CA, DC=clinic, DC=local",
        not_after: "2027-12-03T02:46:56.000Z",
      },
    });
    const noTls = new DirectoryError(
      "no_certificate",
      "The domain controller dc2.clinic.local offers no TLS (…): install a certificate on the DC (… or install Active Directory Certificate Services), then retry.",
    );
    expect(withCertificate(DC2, noTls)).toEqual({ ...DC2, certificate_problem: noTls.message });
    expect(withCertificate(DC2, undefined)).toEqual(DC2);
    expect(wireCertificate({ sha256: A, subject: "", issuer: "", validTo: "garbage" }).not_after).toBeNull();
  });

  it("keeps the contracts open to old clients and strict about fingerprints", () => {
    const old = { appliance_id: "a", domain: "clinic.local", domain_controllers: [DC1] };
    expect(DomainDiscoveredSchema.safeParse(old).success).toBe(true);
    const withCert = DomainDiscoveredSchema.parse({
      ...old,
      domain_controllers: [
        withCertificate(DC1, report(A.toLowerCase())),
        withCertificate(DC2, new DirectoryError("no_certificate", "x")),
      ],
    });
    expect(withCert.domain_controllers[0]?.certificate?.sha256).toBe(A);
    expect(withCert.domain_controllers[1]?.certificate_problem).toBe("x");
    expect(
      DomainDiscoveredSchema.safeParse({
        ...old,
        domain_controllers: [{ ...DC1, certificate: { sha256: "AA:BB", subject: "", issuer: "" } }],
      }).success,
    ).toBe(false);
    const credential = { domain: "clinic.local", username: "u", password: "p" };
    expect(CreateDomainCredentialRequest.parse(credential).accept_certificates).toBeUndefined();
    expect(
      CreateDomainCredentialRequest.parse({ ...credential, accept_certificates: [A.replaceAll(":", "").toLowerCase()] })
        .accept_certificates,
    ).toEqual([A]);
    const failed = { appliance_id: "a", domain: "clinic.local", error: "changed", code: "certificate_changed" };
    expect(EnumerationFailedRequest.safeParse(failed).success).toBe(true);
    expect(
      EnumerationFailedRequest.parse({
        ...failed,
        certificate: { hostname: "dc1.clinic.local", ...wireCertificate(report(B)), previous_sha256: A },
      }).certificate?.previous_sha256,
    ).toBe(A);
    const release = { credential_id: "c", domain: "clinic.local", username: "u", sealed_password: "s", ca_pem: null };
    expect(DomainCredentialRelease.parse(release).dc_certificates).toBeUndefined();
  });

  it("sends the trusted DC certificate with every post of a run", () => {
    const computer = (name: string) => ({
      hostname: `${name.toLowerCase()}.clinic.local`,
      name,
      os: "Windows Server 2022",
      os_version: "10.0",
      distinguished_name: `CN=${name},DC=clinic,DC=local`,
      enabled: true,
      last_logon: null,
      is_domain_controller: false,
      stale: false,
    });
    const dcCertificate = { hostname: "dc1.clinic.local", ...wireCertificate(report(A)), trusted_by: "pin" as const };
    const { posts } = enumerationPosts({
      applianceId: "a",
      domain: "clinic.local",
      servers: [computer("S1"), computer("S2")],
      workstations: [],
      enumeratedAt: "2026-12-01T00:00:00.000Z",
      partial: false,
      dcCertificate,
      maxComputers: 1,
    });
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.dc_certificate).toEqual(dcCertificate);
      expect(EnumerationResultsRequest.safeParse(post).success).toBe(true);
    }
  });
});

describe("the discovery report", () => {
  it("carries each DC's certificate, and is sent again when a certificate changes", async () => {
    const sent: DomainDiscoveredRequest[] = [];
    const discovery = (sha: string): DiscoveryResult => ({
      ok: true,
      domain: "clinic.local",
      domainControllers: [DC1, DC2],
      confirmedBy: DC1.hostname,
      rootDse: { defaultNamingContext: "DC=clinic,DC=local" } as never,
      certificates: new Map<string, DcCertificateReport | DirectoryError>([
        [DC1.hostname, report(sha)],
        [DC2.hostname, new DirectoryError("no_certificate", "dc2 offers no TLS: install a certificate")],
      ]),
      searched: ["clinic.local"],
    });
    const script = [discovery(A), discovery(A), discovery(B)];
    const loop = new DomainDiscoveryLoop({
      applianceId: () => "appliance-1",
      discover: async () => script.shift() as DiscoveryResult,
      postDiscovered: async (body) => {
        sent.push(body);
        return true;
      },
      postFailed: async () => true,
      signal: new AbortController().signal,
      sleep: async () => {},
      random: () => 0.5,
      now: () => new Date("2026-12-01T00:00:00Z"),
      log: () => {},
    });
    for (let i = 0; i < 3; i++) expect(await loop.runOnce()).toBe(true);
    expect(sent.map((b) => b.domain_controllers[0]?.certificate?.sha256)).toEqual([A, B]);
    expect(sent[0]?.domain_controllers[1]).toEqual({
      ...DC2,
      certificate_problem: "dc2 offers no TLS: install a certificate",
    });
    for (const body of sent) expect(DomainDiscoveredSchema.safeParse(body).success).toBe(true);
  });
});
