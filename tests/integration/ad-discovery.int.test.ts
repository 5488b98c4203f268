/** Domain discovery against a real Samba AD DC: SRV records on the DC's own DNS, confirmed by its rootDSE. */
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { candidateDomains } from "@/appliance/src/directory/discovery/candidate-domains";
import { discoverDomain } from "@/appliance/src/directory/discovery/discover-domain";
import { readDiscoverySources } from "@/appliance/src/directory/discovery/read-discovery-sources";
import { createDirectoryDns } from "@/appliance/src/directory/net/directory-dns";
import { ensureTestDc, type TestDc } from "../support/samba-dc/samba-dc";

let dc: TestDc;
const roots: string[] = [];

beforeAll(async () => {
  dc = await ensureTestDc();
  console.info(`test DC ${dc.ip}: ${dc.startedFrom} in ${Math.round(dc.startMs)} ms`);
});

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function machineRoot(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "osiris-discovery-"));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe("domain discovery (real Samba AD DC)", () => {
  it("finds the domain from a DHCP lease through SRV records on the DC's DNS and confirms it over LDAP", async () => {
    const root = machineRoot({
      "etc/resolv.conf": "nameserver 10.0.0.1\nsearch lab.invalid\n",
      "etc/hostname": "appliance\n",
      "var/lib/dhcp/dhclient.eth0.leases": `lease {\n  option domain-name "${dc.domain}";\n}\n`,
    });
    const candidates = candidateDomains(readDiscoverySources(root, "appliance"));
    expect(candidates).toEqual(["lab.invalid", dc.domain]);

    const result = await discoverDomain({
      candidates,
      dns: createDirectoryDns({ servers: [dc.ip] }),
      readCertificate: true,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.domain).toBe("clinic.test");
    expect(result.netbiosName).toBe("CLINIC");
    expect(result.searched).toEqual(["lab.invalid", "clinic.test"]);
    expect(result.domainControllers).toEqual([{ hostname: dc.hostname, port: 389, priority: 0, weight: 100 }]);
    expect(result.confirmedBy).toBe(dc.hostname);
    expect(result.rootDse.defaultNamingContext).toBe(dc.baseDn);
    expect(result.rootDse.dnsHostName?.toLowerCase()).toBe(dc.hostname);
    expect(result.rootDse.ldapServiceName).toMatch(/^clinic\.test:dc1\$@CLINIC\.TEST$/i);
    // The fingerprint the partner compares beside the credential form: the DC's certificate, read without a credential.
    expect(result.certificate).toEqual({
      sha256: new X509Certificate(readFileSync(path.join(dc.dir, "private/tls/cert.pem"))).fingerprint256,
      subject: "CN=dc1.clinic.test",
      issuer: expect.stringMatching(/^CN=Test CA clinic\.test \d+$/),
      validTo: expect.any(String),
      mode: "ldaps",
      port: 636,
    });
  });

  it("says what it searched when no candidate has a domain controller", async () => {
    const result = await discoverDomain({
      candidates: ["nothing-here.test", "lab.invalid"],
      dns: createDirectoryDns({ servers: [dc.ip], timeoutMs: 1000 }),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.searched).toEqual(["nothing-here.test", "lab.invalid"]);
    expect(result.message).toMatch(/^no domain found: searched nothing-here\.test \(.+\), lab\.invalid \(.+\)$/);
  });

  it("says there was nothing to search when the machine gives no candidate domain", async () => {
    const result = await discoverDomain({ candidates: [], dns: createDirectoryDns({ servers: [dc.ip] }) });
    expect(result).toMatchObject({ ok: false, searched: [] });
    if (!result.ok) expect(result.message).toContain("no candidate domain names");
  });
});
