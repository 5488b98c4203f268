/** Candidate domains from resolv.conf, the host name and DHCP leases (file fixtures in ./fixtures). */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { candidateDomains, fqdnDomain, normalizeDomain } from "../../src/directory/discovery/candidate-domains";
import { parseDhclientLeases, parseKeyValueLease } from "../../src/directory/discovery/dhcp-leases";
import { readDiscoverySources } from "../../src/directory/discovery/read-discovery-sources";
import { parseResolvConf } from "../../src/directory/discovery/resolv-conf";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe("resolv.conf", () => {
  it("reads domain, the last search line and the name servers, ignoring comments", () => {
    expect(parseResolvConf(fixture("resolv.conf"))).toEqual({
      domain: "clinic.local",
      search: ["clinic.local", "corp.clinic.local."],
      nameservers: ["10.0.0.10", "10.0.0.11"],
    });
    expect(parseResolvConf("")).toEqual({ search: [], nameservers: [] });
  });
});

describe("DHCP leases", () => {
  it("dhclient: domain-name and domain-search, newest lease first", () => {
    expect(parseDhclientLeases(fixture("dhclient/dhclient.eth0.leases"))).toEqual([
      "clinic.local",
      "clinic.local",
      "branch.clinic.local",
      "old.example",
    ]);
  });

  it("systemd-networkd and NetworkManager internal: DOMAINNAME and DOMAIN_SEARCH_LIST", () => {
    expect(parseKeyValueLease(fixture("networkd/2"))).toEqual([
      "networkd.clinic.local",
      "clinic.local",
      "lab.clinic.local",
    ]);
    expect(parseKeyValueLease(fixture("nm/internal-3c1e2b3a-6d6f-4c1b-9a1e-0c7f3a1b2c3d-ens18.lease"))).toEqual([
      "nm.clinic.local",
    ]);
  });
});

describe("candidate domains", () => {
  it("normalises names and drops what cannot be an AD domain", () => {
    expect(normalizeDomain("Clinic.Local.")).toBe("clinic.local");
    expect(normalizeDomain("clinic")).toBeNull();
    expect(normalizeDomain("localdomain")).toBeNull();
    expect(normalizeDomain("host.localdomain")).toBeNull();
    expect(normalizeDomain("10.in-addr.arpa")).toBeNull();
    expect(normalizeDomain("bad_name!.com")).toBeNull();
    expect(fqdnDomain("appliance.branch.clinic.local")).toBe("branch.clinic.local");
    expect(fqdnDomain("appliance")).toBeNull();
  });

  it("orders resolv.conf, then the host's FQDN, then leases, without duplicates", () => {
    expect(
      candidateDomains({
        resolvConf: fixture("resolv.conf"),
        hostnames: ["msp-appliance.site.clinic.local", "msp-appliance"],
        leases: [
          { format: "dhclient", text: fixture("dhclient/dhclient.eth0.leases") },
          { format: "key-value", text: fixture("networkd/2") },
        ],
      }),
    ).toEqual([
      "clinic.local",
      "corp.clinic.local",
      "site.clinic.local",
      "branch.clinic.local",
      "old.example",
      "networkd.clinic.local",
      "lab.clinic.local",
    ]);
  });

  it("reads a machine's files: resolv.conf, /etc/hostname and every kind of lease file", () => {
    const root = mkdtempSync(path.join(tmpdir(), "osiris-sources-"));
    roots.push(root);
    const put = (rel: string, from: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      cpSync(path.join(FIXTURES, from), path.join(root, rel));
    };
    put("etc/resolv.conf", "resolv.conf");
    writeFileSync(path.join(root, "etc/hostname"), "appliance.hq.clinic.local\n");
    put("var/lib/dhcp/dhclient.eth0.leases", "dhclient/dhclient.eth0.leases");
    put("run/systemd/netif/leases/2", "networkd/2");
    put(
      "var/lib/NetworkManager/internal-3c1e2b3a-6d6f-4c1b-9a1e-0c7f3a1b2c3d-ens18.lease",
      "nm/internal-3c1e2b3a-6d6f-4c1b-9a1e-0c7f3a1b2c3d-ens18.lease",
    );
    writeFileSync(path.join(root, "var/lib/NetworkManager/NetworkManager.state"), "[main]\nNetworkingEnabled=true\n");
    const sources = readDiscoverySources(root, "appliance");
    expect(sources.hostnames).toEqual(["appliance", "appliance.hq.clinic.local"]);
    expect(sources.leases?.map((l) => l.format)).toEqual(["dhclient", "key-value", "key-value"]);
    expect(candidateDomains(sources)).toEqual([
      "clinic.local",
      "corp.clinic.local",
      "hq.clinic.local",
      "branch.clinic.local",
      "old.example",
      "nm.clinic.local",
      "networkd.clinic.local",
      "lab.clinic.local",
    ]);
  });

  it("an empty machine gives no candidates", () => {
    const root = mkdtempSync(path.join(tmpdir(), "osiris-sources-"));
    roots.push(root);
    expect(candidateDomains(readDiscoverySources(root, "appliance"))).toEqual([]);
  });
});
