/**
 * Zero-friction AD end to end: the real appliance daemon (options built from its command line and OSIRIS_*
 * environment, as `osiris-appliance run` builds them) against the real Samba AD DC and the product's real route
 * handlers over HTTP. Discovery asks the DC's own DNS (OSIRIS_DNS_SERVERS) and reports the domain; a partner
 * enters the domain credential through the service layer; the next check-in carries trigger_enumeration; the
 * appliance fetches the sealed credential, enumerates over LDAPS trusting the DC's certificate on first use
 * (pinned in its state dir), and posts the results; the merge job runs as the worker runs it; the site's
 * targets and workstations are the DC's fixture; and the next check-in hands the discovered servers to the
 * appliance with the domain credential, sealed to it. Then the DC's certificate changes, and the next enumeration
 * is reported as certificate_changed with both fingerprints.
 */
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as discoveredRoute from "@/app/api/appliances/domain-discovered/route";
import * as discoveryFailedRoute from "@/app/api/appliances/domain-discovery-failed/route";
import * as enumerationFailedRoute from "@/app/api/appliances/enumeration-failed/route";
import * as enumerationRoute from "@/app/api/appliances/enumeration-results/route";
import * as scanResultsRoute from "@/app/api/appliances/scan-results/route";
import * as statusRoute from "@/app/api/provision/status/route";
import * as domainCredsRoute from "@/app/api/sites/[siteId]/domain-credentials/route";
import { DC_PINS_FILE_NAME } from "@/appliance/src/ad-sync/dc-pins";
import { parseCliArgs } from "@/appliance/src/cli/parse-args";
import { checkinDaemonOptions } from "@/appliance/src/cli/run-cli";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { CheckinDaemon } from "@/appliance/src/daemon/checkin-daemon";
import { candidateDomains } from "@/appliance/src/directory/discovery/candidate-domains";
import { readDiscoverySources } from "@/appliance/src/directory/discovery/read-discovery-sources";
import { APPLIANCE_SETTING_DEFAULTS } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { APPLIANCE_KEY_PURPOSE } from "@/server/domain/appliances/authenticate-appliance";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { getSiteCompliance } from "@/server/domain/compliance/site-compliance";
import { setDomainCredential } from "@/server/domain/directory/domain-credential";
import { hashSecret } from "@/server/domain/security/secrets";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis } from "@/server/redis";
import { allTargets, drainSite } from "../support/directory";
import { makeApplianceWithKey, makePartner } from "../support/factories";
import { type RouteServer, startRouteServer } from "../support/route-server";
import { createUser } from "../support/samba-dc/directory-admin";
import { BULK_WORKSTATIONS, EXPECTED, FIXTURE_NOW } from "../support/samba-dc/fixtures";
import { ensureTestDc, replaceCertificate, restoreCertificate, type TestDc } from "../support/samba-dc/samba-dc";

const READER = "osiris-enum";
const READER_PASSWORD = "Osiris-Enum-Passw0rd!";

let dc: TestDc;
let server: RouteServer;
const roots: string[] = [];

beforeAll(async () => {
  dc = await ensureTestDc();
  await createUser(dc, READER, READER_PASSWORD).catch((err: Error) => {
    if (!/already exists|ENTRY_EXISTS/i.test(err.message)) throw err;
  });
  server = await startRouteServer([
    { method: "POST", path: "/api/appliances/checkin", handler: checkinRoute.POST },
    { method: "POST", path: "/api/provision/status", handler: statusRoute.POST },
    { method: "POST", path: "/api/appliances/domain-discovered", handler: discoveredRoute.POST },
    { method: "POST", path: "/api/appliances/domain-discovery-failed", handler: discoveryFailedRoute.POST },
    { method: "POST", path: "/api/appliances/enumeration-results", handler: enumerationRoute.POST },
    { method: "POST", path: "/api/appliances/enumeration-failed", handler: enumerationFailedRoute.POST },
    // The merged servers are scanned (trigger_immediate_scan): their results (errors: no WinRM there) arrive here.
    { method: "POST", path: "/api/appliances/scan-results", handler: scanResultsRoute.POST },
    { method: "GET", path: "/api/sites/:siteId/domain-credentials", handler: domainCredsRoute.GET },
  ]);
});

afterAll(async () => {
  if (dc) restoreCertificate(dc);
  await server?.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  await flushCheckinBuffers();
  await closeRedis();
  await closeQueues();
  await closePgPool();
  await disconnectDb();
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the appliance daemon with the real Samba DC and the real server", () => {
  it("discovers the domain, enumerates it with the partner's domain credential over LDAPS (TOFU), and the merge makes the DC's computers the site's targets", async () => {
    // A site with one appliance whose keys come from its root secret, as after a real claim.
    const rootSecret = generateRootSecret();
    const keys = deriveApplianceKeys(rootSecret);
    const partner = await makePartner();
    const { siteId, applianceId } = await makeApplianceWithKey(partner.partner.id, {
      publicKey: keys.keyPair.publicKeyBase64,
    });
    await db().appliance.update({
      where: { id: applianceId },
      data: { apiKeyHash: hashSecret(keys.apiKey, APPLIANCE_KEY_PURPOSE) },
    });

    // The appliance's machine: its DHCP lease names the domain; nothing else on it does.
    const root = mkdtempSync(path.join(tmpdir(), "osiris-ad-e2e-"));
    roots.push(root);
    const stateDir = path.join(root, "msp");
    mkdirSync(stateDir, { mode: 0o700 });
    mkdirSync(path.join(root, "var/lib/dhcp"), { recursive: true });
    writeFileSync(
      path.join(root, "var/lib/dhcp/dhclient.eth0.leases"),
      `lease {\n  option domain-name "${dc.domain}";\n}\n`,
    );
    const candidates = candidateDomains(readDiscoverySources(root, "appliance"));
    expect(candidates).toEqual([dc.domain]);

    // `osiris-appliance run` with the DC's DNS and a 30 s enumeration budget, as an operator would set them.
    const cmd = parseCliArgs(["run", "--state-dir", stateDir], {
      OSIRIS_DNS_SERVERS: dc.ip,
      OSIRIS_AD_ENUMERATION_BUDGET_S: "30",
      OSIRIS_POLL_INTERVAL_S: "0.3",
      OSIRIS_SCAN_HOST_TIMEOUT_S: "5",
    } as unknown as NodeJS.ProcessEnv);
    if (cmd.kind !== "run") throw new Error("expected the run command");
    expect(cmd.dnsServers).toEqual([dc.ip]);
    const lines: string[] = [];
    const controller = new AbortController();
    const options = checkinDaemonOptions(cmd, {
      stdout: { write: (text: string) => lines.push(text.trimEnd()) } as never,
      stopSignal: () => controller.signal,
    });
    if (!options.directory) throw new Error("the run command configures Active Directory");
    const daemon = new CheckinDaemon(
      {
        site_id: siteId,
        appliance_id: applianceId,
        appliance_secret: rootSecret,
        api_endpoint: server.url,
        ...APPLIANCE_SETTING_DEFAULTS,
        state_dir: stateDir,
        partner: { slug: partner.partner.slug, brand_name: partner.partner.brandName, primary_color: "#2563EB" },
        provisioned_at: "2026-12-01T00:00:00+00:00",
        mac_address: "84:3A:5B:91:B6:61",
        hostname: "appliance",
      },
      {
        ...options,
        // This machine's own resolv.conf and leases do not name the test domain: the temp machine's do.
        directory: {
          ...options.directory,
          candidates: () => candidates,
          enumerate: { now: FIXTURE_NOW, winrm: { timeoutMs: 500 } },
        },
      },
    );
    const running = daemon.run();
    try {
      // 1. Discovery at start: the domain and its DC, confirmed over LDAP, recorded for the site.
      const domainRow = await until("the discovered domain", () =>
        db()
          .discoveredDomain.findFirst({ where: { siteId } })
          .then((r) => r ?? undefined),
      );
      expect(domainRow.domainName).toBe(dc.domain);
      expect(domainRow.netbiosName).toBe("CLINIC");
      expect((domainRow.controllers as { hostname: string }[]).map((c) => c.hostname)).toEqual([dc.hostname]);

      // 2. The partner enters the ONE domain credential (service layer); its outbox row raises the flag.
      const credential = await setDomainCredential(
        db(),
        partner.partner.id,
        siteId,
        { domain: dc.domain, username: READER, password: READER_PASSWORD },
        { actorType: "system" },
      );
      await drainSite(siteId);

      // 3. The next check-in carries trigger_enumeration; the appliance enumerates and posts the results.
      const run = await until("the enumeration run", () =>
        db()
          .enumerationRun.findFirst({ where: { siteId, status: { not: "receiving" } } })
          .then((r) => r ?? undefined),
      );
      expect(run.status).toBe("queued");
      expect(run.error).toBeNull();
      const outcome = await until("the enumeration handler's end", () => daemon.ad?.lastEnumeration);
      expect(outcome).toMatchObject({ status: "reported", posts: 1, partial: false, delivered: true });

      // Trust on first use: the DC's certificate fingerprint, pinned in a 0600 file in the state dir.
      const pinsFile = path.join(stateDir, DC_PINS_FILE_NAME);
      const fingerprint = new X509Certificate(readFileSync(path.join(dc.dir, "private/tls/cert.pem"))).fingerprint256;
      expect(JSON.parse(readFileSync(pinsFile, "utf8"))).toEqual({ [dc.hostname]: fingerprint });
      expect(statSync(pinsFile).mode & 0o777).toBe(0o600);

      // 4. The merge job, as the worker runs it.
      await drainSite(siteId);
      expect((await db().enumerationRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("merged");
      const targets = await allTargets(partner.apiToken, siteId);
      const host = (cn: string) => `${cn.toLowerCase()}.${dc.domain}`;
      expect(targets.servers.map((s) => s.hostname).sort()).toEqual(EXPECTED.servers.map(host).sort());
      for (const s of targets.servers) {
        expect(s).toMatchObject({ provenance: ["discovered"], approval: "approved", credential_id: credential.id });
      }
      expect(targets.servers.find((s) => s.hostname === dc.hostname)?.is_domain_controller).toBe(true);
      const workstations = targets.workstations.map((w) => w.hostname).sort();
      const expectedWorkstations = [
        ...EXPECTED.namedWorkstations,
        ...Array.from({ length: BULK_WORKSTATIONS }, (_, i) => EXPECTED.bulkName(i + 1)),
      ]
        .map(host)
        .sort();
      expect(workstations).toHaveLength(expectedWorkstations.length);
      expect(workstations).toEqual(expectedWorkstations);
      expect(targets.workstations.find((w) => w.hostname === host("WS-OLD01"))?.enabled).toBe(false);
      expect(targets.workstations.find((w) => w.hostname === host("WS-STALE01"))?.stale).toBe(true);

      // 5. The next check-in hands the discovered servers to the appliance with the domain credential, which
      //    opens with its key (a target whose sealed password did not open would be left out and reported).
      const inMemory = await until("the discovered servers as Windows targets", () => {
        const t = daemon.targets();
        return t.length === EXPECTED.servers.length ? t : undefined;
      });
      expect(inMemory.map((t) => t.hostname).sort()).toEqual(EXPECTED.servers.map(host).sort());
      for (const t of inMemory) {
        expect(t.sealed).toBe(true);
        expect(t.password.reveal()).toBe(READER_PASSWORD);
        expect(t.username.toLowerCase()).toContain(READER);
      }
      expect(daemon.stats.droppedTargets).toBe(0);

      // 5b. The merge raised trigger_immediate_scan: the appliance scans the discovered servers at once, and their
      //     results reach the partner's matrix (no WinRM listens on them here: each control is an "error" saying why).
      const matrix = await until("the first scan's results", async () => {
        const m = await getSiteCompliance(db(), partner.partner.id, siteId);
        return m.hosts.length === EXPECTED.servers.length ? m : undefined;
      });
      expect(matrix.hosts.map((h) => h.hostname).sort()).toEqual(EXPECTED.servers.map(host).sort());
      for (const h of matrix.hosts) {
        expect(h.checks.map((c) => c.status)).toEqual(Array(6).fill("error"));
        expect(h.checks[0]?.error).toBeTruthy();
      }

      // 6. The DC now presents another certificate: the next enumeration stops with certificate_changed, naming
      //    the DC and both fingerprints, and the pin stays as it was (accepting the new one is the partner's call).
      replaceCertificate(dc, { newCa: true });
      try {
        const presented = new X509Certificate(readFileSync(path.join(dc.dir, "private/tls/cert.pem"))).fingerprint256;
        expect(presented).not.toBe(fingerprint);
        await setDomainCredential(
          db(),
          partner.partner.id,
          siteId,
          { domain: dc.domain, username: READER, password: READER_PASSWORD },
          { actorType: "system" },
        );
        await drainSite(siteId);
        const failed = await until("the failed enumeration run", () =>
          db()
            .enumerationRun.findFirst({ where: { siteId, status: "failed" } })
            .then((r) => r ?? undefined),
        );
        expect(failed.error).toMatch(/^certificate_changed: The certificate of the domain controller /);
        expect(failed.error).toContain(dc.hostname);
        expect(failed.error).toContain(presented);
        expect(failed.error).toContain(fingerprint);
        expect(JSON.parse(readFileSync(pinsFile, "utf8"))).toEqual({ [dc.hostname]: fingerprint });
      } finally {
        dc = restoreCertificate(dc);
      }
    } catch (err) {
      // What the appliance said is the quickest way to see which step did not happen.
      console.error(lines.join("\n"));
      throw err;
    } finally {
      controller.abort();
      await running;
    }
    const log = lines.join("\n");
    expect(log).toContain(`domain ${dc.domain} found (${dc.hostname}`);
    expect(log).toContain(`pinned the certificate of ${dc.hostname} on first use: SHA-256 `);
    expect(log).not.toContain(READER_PASSWORD);
    // The state dir holds the pins only: no password, no credential.
    for (const file of [path.join(stateDir, DC_PINS_FILE_NAME)]) {
      expect(readFileSync(file, "utf8")).not.toContain(READER_PASSWORD);
    }
    expect(server.served.filter((r) => r.status >= 400)).toEqual([]);
  }, 120_000);
});
