/**
 * Trusting the DC's certificate, end to end: the real appliance daemon against the real Samba AD DC and the
 * product's real route handlers. Discovery reports the DC's fingerprint, which the partner sees (REST and tRPC)
 * and accepts with the domain credential; enumeration pins it. Then the DC's certificate is replaced: the next
 * enumeration stops, the new certificate is recorded as pending and a dc_certificate_changed alert names the DC
 * and both fingerprints. Accepting a stale fingerprint answers 409, another partner gets 404, a technician 403;
 * accepting the new one raises trigger_enumeration through the outbox and the appliance enumerates with the new pin.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as discoveredRoute from "@/app/api/appliances/domain-discovered/route";
import * as discoveryFailedRoute from "@/app/api/appliances/domain-discovery-failed/route";
import * as enumerationFailedRoute from "@/app/api/appliances/enumeration-failed/route";
import * as enumerationRoute from "@/app/api/appliances/enumeration-results/route";
import * as scanResultsRoute from "@/app/api/appliances/scan-results/route";
import * as notificationsRoute from "@/app/api/partners/me/notifications/route";
import * as acceptRoute from "@/app/api/partners/me/sites/[siteId]/domain-controllers/accept-certificate/route";
import * as controllersRoute from "@/app/api/partners/me/sites/[siteId]/domain-controllers/route";
import * as domainCredsRoute from "@/app/api/sites/[siteId]/domain-credentials/route";
import { DC_PINS_FILE_NAME } from "@/appliance/src/ad-sync/dc-pins";
import { DomainControllerList, DomainCredentialRelease, NotificationList } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { raiseSiteFlag } from "@/server/domain/directory/site-flags";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis } from "@/server/redis";
import { type AdDaemon, startAdDaemon } from "../support/ad-daemon";
import { call, drainSite, getDomainCredential, postDomainCredential } from "../support/directory";
import { callerFor, makeApplianceWithKey, makePartner, makeUser, sessionUser } from "../support/factories";
import { type RouteServer, startRouteServer } from "../support/route-server";
import { createUser } from "../support/samba-dc/directory-admin";
import { ensureTestDc, replaceCertificate, restoreCertificate, type TestDc } from "../support/samba-dc/samba-dc";

const READER = "osiris-enum";
const READER_PASSWORD = "Osiris-Enum-Passw0rd!";

let dc: TestDc;
let server: RouteServer;

beforeAll(async () => {
  dc = await ensureTestDc();
  await createUser(dc, READER, READER_PASSWORD).catch((err: Error) => {
    if (!/already exists|ENTRY_EXISTS/i.test(err.message)) throw err;
  });
  server = await startRouteServer([
    { method: "POST", path: "/api/appliances/checkin", handler: checkinRoute.POST },
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

const dcFingerprint = () => new X509Certificate(readFileSync(path.join(dc.dir, "private/tls/cert.pem"))).fingerprint256;

async function controllers(auth: string, siteId: string) {
  const res = await call(controllersRoute.GET, { method: "GET", auth, params: { siteId } });
  expect(res.status).toBe(200);
  return DomainControllerList.parse(res.json).domain_controllers;
}

function accept(auth: string, siteId: string, body: unknown) {
  return call(acceptRoute.POST, { auth, params: { siteId }, body });
}

function runsOf(siteId: string) {
  return db().enumerationRun.findMany({ where: { siteId }, orderBy: { receivedAt: "asc" } });
}

describe("a DC's certificate: shown, pinned, changed, accepted", () => {
  it("shows the fingerprint, stops enumeration on a change with an alert, and accepting the new one re-enumerates with the new pin", async () => {
    const partner = await makePartner();
    const other = await makePartner();
    const ad: AdDaemon = await startAdDaemon(dc, server.url, partner);
    const { siteId } = ad;
    const pinsFile = path.join(ad.stateDir, DC_PINS_FILE_NAME);
    try {
      // 1. Discovery reports the DC's certificate: recorded (pending), and the partner sees its fingerprint.
      const original = dcFingerprint();
      const seen = await until("the DC's certificate from discovery", () =>
        db()
          .domainControllerCertificate.findFirst({ where: { siteId } })
          .then((r) => r ?? undefined),
      );
      expect(seen).toMatchObject({
        domain: dc.domain,
        hostname: dc.hostname,
        fingerprint: original,
        subject: `CN=${dc.hostname}`,
        status: "pending",
      });
      expect(seen.notAfter?.getTime()).toBeGreaterThan(Date.now());
      const [listed] = await controllers(partner.apiToken, siteId);
      expect(listed).toMatchObject({
        domain: dc.domain,
        hostname: dc.hostname,
        presented: { sha256: original, status: "pending" },
        trusted: null,
        certificate_problem: null,
      });
      const viaTrpc = await callerFor(sessionUser(partner.user)).sites.domainControllers({ siteId });
      expect(viaTrpc.domainControllers[0]?.presented?.sha256).toBe(original);

      // 2. The credential form's accept_certificates: nonsense or an empty list without a CA is refused (400).
      const credential = { domain: dc.domain, username: READER, password: READER_PASSWORD };
      const unknown = "00:".repeat(31).concat("00");
      let res = await postDomainCredential(partner.apiToken, siteId, { ...credential, accept_certificates: [unknown] });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatch(/No domain controller of clinic\.test presented the certificate 00:00/);
      res = await postDomainCredential(partner.apiToken, siteId, { ...credential, accept_certificates: [] });
      expect(res.status).toBe(400);
      expect(await db().siteCredential.count({ where: { siteId } })).toBe(0);
      // The fingerprint the partner compared (any case) is accepted with the credential.
      res = await postDomainCredential(partner.apiToken, siteId, {
        ...credential,
        accept_certificates: [original.toLowerCase()],
      });
      expect(res.status).toBe(201);
      const trusted = await db().domainControllerCertificate.findFirstOrThrow({ where: { siteId } });
      expect(trusted).toMatchObject({ fingerprint: original, status: "trusted" });
      expect(trusted.acceptedBy).toMatch(/./);

      // 3. The release carries the trusted fingerprint; the appliance enumerates with it and pins it.
      const release = DomainCredentialRelease.parse((await getDomainCredential(ad.apiKey, siteId)).json);
      expect(release.dc_certificates).toEqual([{ hostname: dc.hostname, sha256: original }]);
      await drainSite(siteId);
      const first = await until("the first enumeration run", () =>
        runsOf(siteId).then((r) => r.find((x) => x.status !== "receiving")),
      );
      expect(first.status).toBe("queued");
      expect(JSON.parse(readFileSync(pinsFile, "utf8"))).toEqual({ [dc.hostname]: original });
      await drainSite(siteId);

      // 4. The DC's certificate is replaced: the next enumeration stops, the new one is pending, the alert names both.
      replaceCertificate(dc, { newCa: true });
      const renewed = dcFingerprint();
      expect(renewed).not.toBe(original);
      await raiseSiteFlag(db(), siteId, "enumeration", "test: enumerate again");
      const failed = await until("the failed enumeration run", () =>
        runsOf(siteId).then((r) => r.find((x) => x.status === "failed")),
      );
      expect(failed.error).toMatch(/^certificate_changed: /);
      expect(JSON.parse(readFileSync(pinsFile, "utf8"))).toEqual({ [dc.hostname]: original });
      const pending = await db().domainControllerCertificate.findFirstOrThrow({
        where: { siteId, fingerprint: renewed },
      });
      expect(pending).toMatchObject({ hostname: dc.hostname, status: "pending", subject: `CN=${dc.hostname}` });
      expect(pending.issuer).not.toBe(trusted.issuer);
      const feed = await call(notificationsRoute.GET, { method: "GET", auth: partner.apiToken });
      const alert = NotificationList.parse(feed.json).notifications.find((n) => n.type === "dc_certificate_changed");
      expect(alert?.message).toContain(dc.hostname);
      expect(alert?.detail).toContain(renewed);
      expect(alert?.detail).toContain(original);
      expect(alert?.action_url).toBe(`/sites/${siteId}#dc-certificates`);
      const [changed] = await controllers(partner.apiToken, siteId);
      expect(changed).toMatchObject({
        presented: { sha256: renewed, status: "pending" },
        trusted: { sha256: original, status: "trusted" },
      });
      // Enumeration stays stopped: no run after the failed one, nothing queued.
      expect((await runsOf(siteId)).map((r) => r.status)).toEqual(["merged", "failed"]);

      // 5. Stale, foreign and unauthorised accepts change nothing.
      res = await accept(partner.apiToken, siteId, { hostname: dc.hostname, fingerprint: original });
      expect(res.status).toBe(409);
      expect(res.json.error).toContain(renewed);
      res = await postDomainCredential(partner.apiToken, siteId, { ...credential, accept_certificates: [original] });
      expect(res.status).toBe(409);
      res = await accept(other.apiToken, siteId, { hostname: dc.hostname, fingerprint: renewed });
      expect(res.status).toBe(404);
      const otherSite = await makeApplianceWithKey(other.partner.id);
      res = await accept(other.apiToken, otherSite.siteId, { hostname: dc.hostname, fingerprint: renewed });
      expect(res.status).toBe(404);
      const technician = await makeUser("partner_technician", partner.partner.id);
      await expect(
        callerFor(sessionUser(technician)).sites.acceptDcCertificate({
          siteId,
          hostname: dc.hostname,
          fingerprint: renewed,
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(
        (await db().domainControllerCertificate.findFirstOrThrow({ where: { fingerprint: renewed } })).status,
      ).toBe("pending");
      expect(
        await db().outboxEntry.count({ where: { kind: "dc-certificate.accepted", payload: { equals: { siteId } } } }),
      ).toBe(0);

      // 6. The partner accepts the new certificate: trusted, audited, trigger_enumeration through the outbox,
      //    and the appliance enumerates with the new pin.
      res = await accept(partner.apiToken, siteId, { hostname: dc.hostname.toUpperCase(), fingerprint: renewed });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        status: "accepted",
        domain: dc.domain,
        hostname: dc.hostname,
        fingerprint: renewed,
        replaced: original,
      });
      expect(await db().domainControllerCertificate.findMany({ where: { siteId, status: "trusted" } })).toEqual([
        expect.objectContaining({ fingerprint: renewed }),
      ]);
      expect(await db().auditEvent.count({ where: { siteId, action: "dc_certificate.accepted" } })).toBe(1);
      expect(
        await db().outboxEntry.count({ where: { kind: "dc-certificate.accepted", payload: { equals: { siteId } } } }),
      ).toBe(1);
      await drainSite(siteId);
      const trigger = await db().applianceTrigger.findFirst({
        where: { applianceId: ad.applianceId, kind: "enumeration" },
        orderBy: { requestedAt: "desc" },
      });
      expect(trigger?.reason).toContain("certificate accepted");
      const third = await until("the enumeration with the new pin", () =>
        runsOf(siteId).then((r) => (r.length === 3 && r[2]?.status !== "receiving" ? r[2] : undefined)),
      );
      expect(third.status).toBe("queued");
      expect(third.error).toBeNull();
      expect(JSON.parse(readFileSync(pinsFile, "utf8"))).toEqual({ [dc.hostname]: renewed });
      expect(ad.lines.join("\n")).toContain(`pins from Central Command for ${dc.hostname}`);
    } catch (err) {
      console.error(ad.lines.join("\n"));
      throw err;
    } finally {
      dc = restoreCertificate(dc);
      await ad.stop();
    }
    expect(ad.lines.join("\n")).not.toContain(READER_PASSWORD);
  }, 120_000);
});

describe("enumeration-failed reports", () => {
  it("stores one failed run for a report sent twice, with or without failed_at", async () => {
    const partner = await makePartner();
    const { siteId, applianceId, apiKey } = await makeApplianceWithKey(partner.partner.id);
    const post = (body: Record<string, unknown>) =>
      call(enumerationFailedRoute.POST, {
        auth: apiKey,
        body: { appliance_id: applianceId, domain: "a.test", ...body },
      });
    const timed = { code: "wrong_password", error: "The password was refused.", failed_at: "2026-12-03T01:00:00Z" };
    const a = await post(timed);
    const b = await post(timed);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.json.run_id).toBe(a.json.run_id);
    const untimed = { code: "dc_unreachable", error: "No answer." };
    const c = await post(untimed);
    const d = await post(untimed);
    expect(d.json.run_id).toBe(c.json.run_id);
    expect(await db().enumerationRun.count({ where: { siteId } })).toBe(2);
    expect(await db().notification.count({ where: { siteId, kind: "enumeration_failed" } })).toBe(2);
    // A new failure (another time) is a new run.
    const e = await post({ ...timed, failed_at: "2026-12-03T02:00:00Z" });
    expect(e.json.run_id).not.toBe(a.json.run_id);
    expect(await db().enumerationRun.count({ where: { siteId } })).toBe(3);
    // The same untimed failure after another run is a new failure too.
    const f = await post(untimed);
    expect(f.json.run_id).not.toBe(c.json.run_id);
    expect(await db().enumerationRun.count({ where: { siteId } })).toBe(4);
  });
});
