/**
 * Enumeration against a real Samba AD DC: LDAPS and StartTLS with the partner's CA, classification of the
 * fixture (DC, servers, nested-OU workstations, disabled, stale, more than one page), WinRM reachability, trust
 * on first use then a changed certificate, the time budget, and unreachable DCs.
 */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Secret } from "@/appliance/src/crypto/secret";
import { DirectoryError } from "@/appliance/src/directory/directory-error";
import { type EnumerateDomainOptions, enumerateDomain } from "@/appliance/src/directory/enumeration/enumerate-domain";
import { createDirectoryDns } from "@/appliance/src/directory/net/directory-dns";
import { addComputer, createUser, deleteComputer } from "../support/samba-dc/directory-admin";
import { BULK_WORKSTATIONS, EXPECTED, FIXTURE_NOW } from "../support/samba-dc/fixtures";
import {
  ensureTestDc,
  freezeTestDc,
  replaceCertificate,
  restoreCertificate,
  stopTestDc,
  type TestDc,
  thawTestDc,
} from "../support/samba-dc/samba-dc";

let dc: TestDc;
let winrm: Server;
const READER = "enum-reader";
const PASSWORD = "Reader-Passw0rd!";

beforeAll(async () => {
  dc = await ensureTestDc();
  console.info(`test DC ${dc.ip}: ${dc.startedFrom} in ${Math.round(dc.startMs)} ms`);
  await createUser(dc, READER, PASSWORD).catch((err: Error) => {
    if (!/already exists|ENTRY_EXISTS/i.test(err.message)) throw err;
  });
  // fs01 (and dc1) resolve to the DC's address in the fixture's DNS: this listener is their WinRM port.
  winrm = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => winrm.listen(5985, dc.ip, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => winrm?.close(resolve));
  if (dc) restoreCertificate(dc);
});

function options(overrides: Partial<EnumerateDomainOptions> = {}): EnumerateDomainOptions {
  return {
    domain: dc.domain,
    domainControllers: [{ hostname: dc.hostname }],
    username: `${READER}@${dc.domain}`,
    password: new Secret(PASSWORD),
    trust: { caPem: dc.caPem },
    dns: createDirectoryDns({ servers: [dc.ip] }),
    now: FIXTURE_NOW,
    winrm: { timeoutMs: 500 },
    ...overrides,
  };
}

function names(list: { name: string }[]): string[] {
  return list.map((c) => c.name).sort();
}

async function failure(run: Promise<unknown>): Promise<DirectoryError> {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DirectoryError);
  return err as DirectoryError;
}

describe("enumeration (real Samba AD DC)", () => {
  it("reads every computer over LDAPS with the partner's CA and classifies the fixture", async () => {
    const result = await enumerateDomain(options({ modes: ["ldaps"] }));
    expect(result).toMatchObject({
      domain: "clinic.test",
      dc: { hostname: dc.hostname, mode: "ldaps", port: 636 },
      certificate: { trustedBy: "ca" },
      partial: false,
    });
    expect(result.pages).toBeGreaterThanOrEqual(2);
    expect(result.servers.length + result.workstations.length).toBe(EXPECTED.total);
    expect(names(result.servers)).toEqual([...EXPECTED.servers].sort());
    expect(result.workstations).toHaveLength(EXPECTED.namedWorkstations.length + BULK_WORKSTATIONS);
    expect(names(result.workstations)).toEqual(expect.arrayContaining(EXPECTED.namedWorkstations));

    const byName = new Map([...result.servers, ...result.workstations].map((c) => [c.name, c]));
    expect(names(result.servers.filter((s) => s.is_domain_controller))).toEqual(EXPECTED.domainControllers);
    expect(names([...byName.values()].filter((c) => !c.enabled))).toEqual(EXPECTED.disabled);
    expect(names([...byName.values()].filter((c) => c.stale))).toEqual(EXPECTED.stale);
    expect(byName.get("FS01")).toEqual({
      hostname: "fs01.clinic.test",
      name: "FS01",
      os: "Windows Server 2022 Standard",
      os_version: "10.0 (20348)",
      distinguished_name: "CN=FS01,OU=Servers,DC=clinic,DC=test",
      enabled: true,
      last_logon: "2026-11-29T00:00:00.000Z",
      is_domain_controller: false,
      stale: false,
      winrm_reachable: true,
    });
    expect(byName.get("WS-EXAM01")?.distinguished_name).toBe(
      "CN=WS-EXAM01,OU=Exam Rooms,OU=Reception,OU=Workstations,DC=clinic,DC=test",
    );
    expect(byName.get("WS-STALE01")?.last_logon).toBe("2025-06-01T00:00:00.000Z");
    expect(byName.get("LAPTOP-07")).toMatchObject({ last_logon: null, stale: false });
    expect(byName.get("DC1")).toMatchObject({ os: "Samba", is_domain_controller: true, winrm_reachable: true });
    // WinRM: app01 resolves to an address where nothing listens, sql01 does not resolve at all.
    expect(byName.get("APP01")?.winrm_reachable).toBe(false);
    expect(byName.get("SQL01")?.winrm_reachable).toBe(false);
    expect(result.workstations.every((w) => w.winrm_reachable === undefined)).toBe(true);
  });

  it("reads the same directory over StartTLS on 389", async () => {
    const result = await enumerateDomain(options({ modes: ["starttls"], winrm: false }));
    expect(result.dc).toEqual({ hostname: dc.hostname, mode: "starttls", port: 389 });
    expect(result.certificate.trustedBy).toBe("ca");
    expect(result.servers.length + result.workstations.length).toBe(EXPECTED.total);
    expect(result.partial).toBe(false);
  });

  it("sees a server added to AD, and no longer sees it once deleted", async () => {
    const dn = await addComputer(dc, { cn: "NEWSRV01", container: "OU=Servers", os: "Windows Server 2025 Standard" });
    try {
      const added = await enumerateDomain(options({ winrm: false }));
      expect(names(added.servers)).toEqual([...EXPECTED.servers, "NEWSRV01"].sort());
      expect(added.servers.find((s) => s.name === "NEWSRV01")).toMatchObject({
        hostname: "newsrv01.clinic.test",
        distinguished_name: "CN=NEWSRV01,OU=Servers,DC=clinic,DC=test",
        enabled: true,
        last_logon: null,
      });
    } finally {
      await deleteComputer(dc, dn);
    }
    const after = await enumerateDomain(options({ winrm: false }));
    expect(names(after.servers)).toEqual([...EXPECTED.servers].sort());
  });

  it("moves on to the next DC when the first cannot be reached", async () => {
    const result = await enumerateDomain(
      options({ domainControllers: [{ hostname: "127.0.0.254" }, { hostname: dc.hostname }], winrm: false }),
    );
    expect(result.dc.hostname).toBe(dc.hostname);
    expect(result.servers.length + result.workstations.length).toBe(EXPECTED.total);
  });

  it("pins the certificate on first use, accepts it by pin later, and stops when it changes", async () => {
    const first = await enumerateDomain(options({ trust: {}, winrm: false }));
    expect(first.certificate.trustedBy).toBe("first-use");
    expect(first.certificate.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const pinned = first.certificate.sha256;

    const again = await enumerateDomain(options({ trust: { pinnedSha256: pinned.toLowerCase() }, winrm: false }));
    expect(again.certificate).toMatchObject({ sha256: pinned, trustedBy: "pin" });

    const renewed = replaceCertificate(dc, { newCa: true });
    try {
      for (const modes of [["ldaps"], ["starttls"]] as const) {
        const err = await failure(enumerateDomain(options({ trust: { pinnedSha256: pinned }, modes: [...modes] })));
        expect(err.code).toBe("certificate_changed");
        expect(err.details.pinnedSha256).toBe(pinned);
        expect(err.details.presentedSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        expect(err.details.presentedSha256).not.toBe(pinned);
        expect(err.message).toContain(dc.hostname);
        expect(err.message).toContain(pinned);
        expect(err.message).toContain(err.details.presentedSha256);
      }
      // The partner's old CA does not vouch for the new certificate either; the new CA does.
      const untrusted = await failure(enumerateDomain(options({ modes: ["ldaps"] })));
      expect(untrusted.code).toBe("certificate_untrusted");
      expect(untrusted.message).toContain(dc.hostname);
      const withNewCa = await enumerateDomain(options({ trust: { caPem: renewed.caPem }, winrm: false }));
      expect(withNewCa.certificate.trustedBy).toBe("ca");
    } finally {
      dc = restoreCertificate(dc);
    }
  });

  it("returns what it has with partial: true when the time budget runs out", async () => {
    let frozen = false;
    const started = Date.now();
    try {
      const result = await enumerateDomain(
        options({
          budgetMs: 3000,
          onPage: () => {
            // After the first page the DC stops answering (SIGSTOP): the second page never comes.
            if (!frozen) freezeTestDc(dc);
            frozen = true;
          },
        }),
      );
      expect(frozen).toBe(true);
      expect(result.partial).toBe(true);
      expect(result.pages).toBe(1);
      expect(result.servers.length + result.workstations.length).toBe(500);
      expect(Date.now() - started).toBeLessThan(4500);
    } finally {
      thawTestDc(dc);
    }
  });

  it("names the DC, the ports and the reason when the DC cannot be reached", async () => {
    const refused = await failure(
      enumerateDomain(options({ domainControllers: [{ hostname: "127.0.0.254" }], connectTimeoutMs: 1000 })),
    );
    expect(refused.code).toBe("dc_unreachable");
    expect(refused.message).toBe(
      "Cannot reach the domain controller 127.0.0.254 (127.0.0.254): LDAPS on port 636: the connection was refused " +
        "(nothing listens on that port, or a firewall rejects it); StartTLS on port 389: the connection was refused " +
        "(nothing listens on that port, or a firewall rejects it).",
    );

    const unknown = await failure(enumerateDomain(options({ domainControllers: [{ hostname: "dc9.clinic.test" }] })));
    expect(unknown.code).toBe("dc_unreachable");
    expect(unknown.message).toContain("dc9.clinic.test");
    expect(unknown.message).toContain("does not resolve");
  });

  it("gives up on a DC that stops answering within the budget, and says so", async () => {
    freezeTestDc(dc);
    const started = Date.now();
    try {
      const err = await failure(enumerateDomain(options({ budgetMs: 1500 })));
      expect(err.code).toBe("dc_timeout");
      expect(err.message).toContain(dc.hostname);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      thawTestDc(dc);
    }
  });

  it("says which DC dropped the connection when it goes away in the middle of the search", async () => {
    let stopped = false;
    try {
      const err = await failure(
        enumerateDomain(
          options({
            onPage: () => {
              if (!stopped) stopTestDc(dc.dir);
              stopped = true;
            },
          }),
        ),
      );
      expect(stopped).toBe(true);
      expect(err.code).toBe("dc_unreachable");
      expect(err.message).toMatch(
        /^The domain controller dc1\.clinic\.test \(port 636\) dropped the connection during the search: /,
      );
    } finally {
      // Later files share the DC: start it again (from the snapshot) with this file's user.
      dc = await ensureTestDc();
      await createUser(dc, READER, PASSWORD);
    }
  });
});
