/**
 * Compliance results, server side, against the real PostgreSQL: POST /api/appliances/scan-results (appliance
 * key, validation, body limit, idempotency by batch_id, 409 on reuse, 422 for a host that is not a Windows
 * target), the latest result per host and check with its history, drift, the out-of-order guard, the
 * partner's alerts (once per failure, bounded per batch), the scan's completion closing the immediate-scan
 * flag, and the partner's matrix and drift timeline over REST and tRPC.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as scanResultsRoute from "@/app/api/appliances/scan-results/route";
import * as notificationsRoute from "@/app/api/partners/me/notifications/route";
import * as driftRoute from "@/app/api/partners/me/sites/[siteId]/compliance/drift/route";
import * as complianceRoute from "@/app/api/partners/me/sites/[siteId]/compliance/route";
import * as coverageRoute from "@/app/api/partners/me/sites/[siteId]/coverage/route";
import {
  ComplianceDriftPage,
  type ScanResult,
  ScanResultsResponse,
  SiteCompliance,
  SiteCoverage,
} from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { deliverTriggers, requestTrigger } from "@/server/domain/checkin/triggers";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { mintPartnerToken } from "@/server/domain/tokens/mint-partner-token";
import { closeRedis } from "@/server/redis";
import { call } from "../support/directory";
import { callerFor, makeApplianceWithKey, makePartner, PASSWORD, sessionUser, uniq } from "../support/factories";
import { sessionCookie } from "../support/sign-in";

afterAll(async () => {
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

const T0 = Date.parse("2026-11-30T10:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A partner's site with one appliance, a manual target (fs01), approved AD servers and one awaiting approval. */
async function site(opts: { servers?: number } = {}) {
  const partner = await makePartner();
  const appliance = await makeApplianceWithKey(partner.partner.id);
  await createSiteCredential(
    db(),
    partner.partner.id,
    appliance.siteId,
    { credential_type: "winrm", credential_name: "fs01", host: "FS01.clinic.test", username: "svc", password: "pw" },
    { actorType: "system" },
  );
  const servers = Array.from({ length: opts.servers ?? 2 }, (_, i) => `srv${i + 1}.clinic.test`);
  await db().windowsTarget.createMany({
    data: [
      ...servers.map((hostname) => ({
        siteId: appliance.siteId,
        hostname,
        domain: "clinic.test",
        approval: "approved" as const,
      })),
      {
        siteId: appliance.siteId,
        hostname: "planted.clinic.test",
        domain: "clinic.test",
        approval: "awaiting_approval",
      },
    ],
  });
  return { ...appliance, partner, servers };
}
type Site = Awaited<ReturnType<typeof site>>;

function result(hostname: string, check: ScanResult["check"], status: ScanResult["status"], minutes = 0): ScanResult {
  return {
    hostname,
    check,
    status,
    observed: status === "pass" ? "on" : status === "fail" ? "off" : "unreadable",
    expected: "on",
    checked_at: at(minutes),
  };
}

function post(s: Site, results: ScanResult[], extra: Record<string, unknown> = {}, auth = s.apiKey) {
  return call(scanResultsRoute.POST, {
    auth,
    body: { appliance_id: s.applianceId, batch_id: uniq("batch"), results, ...extra },
  });
}

async function accepted(s: Site, results: ScanResult[], extra: Record<string, unknown> = {}) {
  const r = await post(s, results, extra);
  expect(r.status, r.text).toBe(200);
  return ScanResultsResponse.parse(r.json);
}

async function matrix(s: Site, query = "") {
  const r = await call(complianceRoute.GET, {
    method: "GET",
    auth: s.partner.apiToken,
    params: { siteId: s.siteId },
    query,
  });
  expect(r.status, r.text).toBe(200);
  return SiteCompliance.parse(r.json);
}

async function drift(s: Site, query = "") {
  const r = await call(driftRoute.GET, {
    method: "GET",
    auth: s.partner.apiToken,
    params: { siteId: s.siteId },
    query,
  });
  expect(r.status, r.text).toBe(200);
  return ComplianceDriftPage.parse(r.json);
}

const counts = async (s: Site) => ({
  batches: await db().complianceBatch.count({ where: { siteId: s.siteId } }),
  history: await db().complianceResult.count({ where: { siteId: s.siteId } }),
  latest: await db().complianceLatest.count({ where: { siteId: s.siteId } }),
  alerts: await db().notification.count({ where: { siteId: s.siteId, kind: "compliance.failing" } }),
});

const alerts = (s: Site) =>
  db().notification.findMany({
    where: { siteId: s.siteId, kind: "compliance.failing" },
    orderBy: { createdAt: "asc" },
  });

describe("POST /api/appliances/scan-results: who may post, and what", () => {
  it("answers 401 without a key or with an unknown one, and 403 to another appliance's id", async () => {
    const s = await site();
    const other = await site();
    const body = [result("fs01.clinic.test", "firewall", "pass")];
    expect((await post(s, body, {}, "")).status).toBe(401);
    expect((await post(s, body, {}, "not-a-key")).status).toBe(401);
    const foreign = await post(s, body, {}, other.apiKey);
    expect(foreign.status).toBe(403);
    expect(foreign.json.error).toMatch(/different appliance/);
    expect(await counts(s)).toMatchObject({ batches: 0, history: 0, latest: 0 });
  });

  it("refuses a revoked appliance's key with 401 and stores nothing", async () => {
    const s = await site();
    await db().appliance.update({ where: { id: s.applianceId }, data: { revokedAt: new Date(), revokedBy: "test" } });
    const r = await post(s, [result("fs01.clinic.test", "firewall", "pass")]);
    expect(r.status).toBe(401);
    expect(r.json.error).toMatch(/revoked/);
    expect((await counts(s)).history).toBe(0);
  });

  it("answers 400 to malformed batches: batch_id, check, status, time, more than 5,000 results", async () => {
    const s = await site();
    const ok = result("fs01.clinic.test", "firewall", "pass");
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ batch_id: "has space" }, /batch_id/],
      [{ batch_id: "x".repeat(129) }, /batch_id/],
      [{ batch_id: "" }, /batch_id/],
      [{ results: [{ ...ok, check: "antivirus" }] }, /results\.0\.check/],
      [{ results: [{ ...ok, status: "passed" }] }, /results\.0\.status/],
      [{ results: [{ ...ok, checked_at: "yesterday" }] }, /results\.0\.checked_at/],
      [{ results: [{ ...ok, observed: undefined }] }, /results\.0\.observed/],
      [{ results: Array.from({ length: 5_001 }, () => ok) }, /at most 5000 results/],
    ];
    for (const [override, message] of cases) {
      const r = await call(scanResultsRoute.POST, {
        auth: s.apiKey,
        body: { appliance_id: s.applianceId, batch_id: "b-1", results: [ok], ...override },
      });
      expect(r.status, JSON.stringify(override).slice(0, 80)).toBe(400);
      expect(r.json.error).toMatch(message);
    }
    expect((await counts(s)).history).toBe(0);
  });

  it("answers 413 to a body over 4 MiB", async () => {
    const s = await site();
    const body = JSON.stringify({
      appliance_id: s.applianceId,
      batch_id: "big",
      results: Array.from({ length: 4_000 }, () => ({
        ...result("fs01.clinic.test", "rmm", "fail"),
        observed: "x".repeat(1_000),
      })),
    });
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    const r = await call(scanResultsRoute.POST, { auth: s.apiKey, rawBody: body });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatch(/larger than 4096 KiB/);
    expect((await counts(s)).history).toBe(0);
  });

  it("refuses a whole batch naming a host that is not a Windows target (422 naming it), storing nothing", async () => {
    const s = await site();
    // Another site's approved server is not this site's target.
    const other = await site();
    await db().windowsTarget.create({
      data: { siteId: other.siteId, hostname: "theirs.clinic.test", domain: "clinic.test", approval: "approved" },
    });
    for (const stranger of ["planted.clinic.test", "ws-01.clinic.test", "theirs.clinic.test"]) {
      const r = await post(s, [result("fs01.clinic.test", "firewall", "fail"), result(stranger, "firewall", "fail")]);
      expect(r.status).toBe(422);
      expect(r.json.error).toContain(stranger);
      expect(r.json.error).not.toContain("fs01");
    }
    expect(await counts(s)).toEqual({ batches: 0, history: 0, latest: 0, alerts: 0 });
  });
});

describe("storing results", () => {
  it("keeps the latest result per host and check with a history, host names compared lower-case", async () => {
    const s = await site();
    const first = await accepted(s, [
      result("FS01.clinic.test", "firewall", "pass", 0),
      result("fs01.clinic.test", "bitlocker", "unknown", 0),
      result("srv1.clinic.test", "firewall", "pass", 0),
    ]);
    expect(first).toMatchObject({ duplicate: false, stored: 3, latest_updated: 3, drifted: 0, late: 0 });
    await accepted(s, [result("fs01.clinic.test", "firewall", "pass", 60)]);
    expect(await counts(s)).toMatchObject({ batches: 2, history: 4, latest: 3 });
    const m = await matrix(s);
    expect(m.hosts.map((h) => h.hostname)).toEqual(["fs01.clinic.test", "srv1.clinic.test"]);
    const fs01 = m.hosts[0];
    expect(fs01?.kind).toBe("server");
    // In the controls table's order, each with its citation; the firewall's latest is the newer one.
    expect(fs01?.checks.map((c) => [c.check, c.status, c.hipaa_control])).toEqual([
      ["bitlocker", "unknown", "164.312(a)(2)(iv)"],
      ["firewall", "pass", "164.312(e)(1)"],
    ]);
    expect(fs01?.checks[1]).toMatchObject({ checked_at: at(60), changed_at: at(0), observed: "on", expected: "on" });
    expect(m.summary).toEqual({ hosts: 2, checked: 3, passing: 2, failing: 0 });
    expect(m.controls.map((c) => c.check)).toEqual([
      "bitlocker",
      "defender",
      "firewall",
      "patches",
      "screenlock",
      "rmm",
    ]);
  });

  it("is idempotent by batch_id: the same batch again gets the same answer and changes nothing", async () => {
    const s = await site();
    const body = {
      appliance_id: s.applianceId,
      batch_id: "scan-2026-11-30_1",
      results: [result("fs01.clinic.test", "firewall", "pass", 0), result("srv1.clinic.test", "defender", "fail", 0)],
    };
    const first = await call(scanResultsRoute.POST, { auth: s.apiKey, body });
    expect(first.status).toBe(200);
    const before = await counts(s);
    expect(before).toEqual({ batches: 1, history: 2, latest: 2, alerts: 1 });
    // The same content, with the host spelt differently and the times in another offset, is the same batch.
    const again = await call(scanResultsRoute.POST, {
      auth: s.apiKey,
      body: {
        ...body,
        results: body.results.map((r) => ({
          ...r,
          hostname: r.hostname.toUpperCase(),
          checked_at: r.checked_at.replace("10:00:00.000Z", "11:00:00+01:00"),
        })),
      },
    });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ...first.json, duplicate: true });
    expect(await counts(s)).toEqual(before);
  });

  it("stores a batch sent twice at the same moment once (the appliance's retry racing its first post)", async () => {
    const s = await site();
    const body = {
      appliance_id: s.applianceId,
      batch_id: "racing",
      results: [result("fs01.clinic.test", "rmm", "fail", 0), result("srv2.clinic.test", "rmm", "fail", 0)],
    };
    const both = await Promise.all([0, 1].map(() => call(scanResultsRoute.POST, { auth: s.apiKey, body })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.json.duplicate).sort()).toEqual([false, true]);
    expect(await counts(s)).toEqual({ batches: 1, history: 2, latest: 2, alerts: 1 });
  });

  it("answers 409 to a reused batch_id with different content, and changes nothing", async () => {
    const s = await site();
    const batch = { batch_id: "reused" };
    await accepted(s, [result("fs01.clinic.test", "firewall", "pass", 0)], batch);
    const before = await counts(s);
    const r = await post(s, [result("fs01.clinic.test", "firewall", "fail", 5)], batch);
    expect(r.status).toBe(409);
    expect(r.json.error).toMatch(/reused|already received/);
    expect(await counts(s)).toEqual(before);
    expect((await matrix(s)).hosts[0]?.checks[0]?.status).toBe("pass");
    // Another appliance may use the same batch_id: the key is per appliance.
    const other = await site();
    expect((await post(other, [result("fs01.clinic.test", "firewall", "pass")], batch)).status).toBe(200);
  });

  it("records drift when a status changes (and only then), with the change time in the matrix", async () => {
    const s = await site();
    await accepted(s, [
      result("srv1.clinic.test", "firewall", "pass", 0),
      result("srv1.clinic.test", "patches", "pass", 0),
    ]);
    const second = await accepted(s, [
      result("srv1.clinic.test", "firewall", "fail", 60),
      result("srv1.clinic.test", "patches", "pass", 60),
    ]);
    expect(second).toMatchObject({ drifted: 1, latest_updated: 2 });
    await accepted(s, [result("srv1.clinic.test", "firewall", "fail", 120)]);
    const d = await drift(s);
    expect(d.drift).toHaveLength(1);
    expect(d.drift[0]).toMatchObject({
      hostname: "srv1.clinic.test",
      check: "firewall",
      from: "pass",
      to: "fail",
      checked_at: at(60),
      hipaa_control: "164.312(e)(1)",
    });
    const firewall = (await matrix(s)).hosts[0]?.checks.find((c) => c.check === "firewall");
    expect(firewall).toMatchObject({ status: "fail", checked_at: at(120), changed_at: at(60) });
  });

  it("judges several results of one host and check in one batch in observation order", async () => {
    const s = await site();
    const r = await accepted(s, [
      result("srv1.clinic.test", "defender", "fail", 30),
      result("srv1.clinic.test", "defender", "pass", 0),
      result("srv1.clinic.test", "defender", "fail", 60),
    ]);
    expect(r).toMatchObject({ stored: 3, latest_updated: 1, drifted: 1, newly_failing: 1 });
    const d = await drift(s);
    expect(d.drift.map((e) => [e.from, e.to, e.checked_at])).toEqual([["pass", "fail", at(30)]]);
    const defender = (await matrix(s)).hosts[0]?.checks[0];
    expect(defender).toMatchObject({ status: "fail", checked_at: at(60), changed_at: at(30) });
  });

  it("never lets an older observation overwrite a newer latest (kept in the history as observed)", async () => {
    const s = await site();
    await accepted(s, [result("fs01.clinic.test", "screenlock", "fail", 120)]);
    const late = await accepted(s, [result("fs01.clinic.test", "screenlock", "pass", 60)]);
    expect(late).toMatchObject({ stored: 1, latest_updated: 0, late: 1, drifted: 0 });
    const latest = (await matrix(s)).hosts[0]?.checks[0];
    expect(latest).toMatchObject({ status: "fail", checked_at: at(120) });
    const history = await db().complianceResult.findMany({
      where: { siteId: s.siteId },
      orderBy: { checkedAt: "asc" },
      select: { status: true, checkedAt: true, drift: true },
    });
    expect(history.map((h) => [h.status, h.checkedAt.toISOString(), h.drift])).toEqual([
      ["pass", at(60), false],
      ["fail", at(120), false],
    ]);
    // The same observation time again is not newer either.
    expect((await accepted(s, [result("fs01.clinic.test", "screenlock", "pass", 120)])).latest_updated).toBe(0);
    expect((await drift(s)).drift).toEqual([]);
  });
});

describe("alerts", () => {
  it("alerts once per failing host and control, not at every scan, and again after a recovery", async () => {
    const s = await site();
    await accepted(s, [result("srv1.clinic.test", "firewall", "pass", 0)]);
    expect(await alerts(s)).toHaveLength(0);
    expect((await accepted(s, [result("srv1.clinic.test", "firewall", "fail", 60)])).newly_failing).toBe(1);
    const [first] = await alerts(s);
    expect(first?.title).toMatch(/1 control started failing on 1 host at Clinic/);
    expect(first?.body).toContain("srv1.clinic.test: Firewall (164.312(e)(1)) failing: off");
    // Still failing at the next scans (and unreadable in between): no new alert.
    await accepted(s, [result("srv1.clinic.test", "firewall", "fail", 120)]);
    await accepted(s, [result("srv1.clinic.test", "firewall", "unknown", 180)]);
    await accepted(s, [result("srv1.clinic.test", "firewall", "fail", 240)]);
    expect(await alerts(s)).toHaveLength(1);
    // Recovers, then fails again: a second alert.
    await accepted(s, [result("srv1.clinic.test", "firewall", "pass", 300)]);
    expect(await alerts(s)).toHaveLength(1);
    expect((await accepted(s, [result("srv1.clinic.test", "firewall", "fail", 360)])).newly_failing).toBe(1);
    expect(await alerts(s)).toHaveLength(2);
    // The partner reads it on the REST feed too.
    const feed = await call(notificationsRoute.GET, { method: "GET", auth: s.partner.apiToken });
    expect(feed.text).toContain("srv1.clinic.test: Firewall");
  });

  it("raises one bounded alert when a whole site fails at once", async () => {
    const s = await site({ servers: 10 });
    const all = s.servers.flatMap((h) => [result(h, "firewall", "fail", 0), result(h, "defender", "fail", 0)]);
    expect((await accepted(s, all)).newly_failing).toBe(20);
    const list = await alerts(s);
    expect(list).toHaveLength(1);
    expect(list[0]?.title).toMatch(/^20 controls started failing on 10 hosts at /);
    const lines = list[0]?.body.split("\n") ?? [];
    expect(lines).toHaveLength(13);
    expect(lines.at(-1)).toBe("and 8 more.");
    expect(lines[0]).toBe("srv1.clinic.test: Defender (164.308(a)(5)(ii)(B)) failing: off");
  });
});

describe("scan completion", () => {
  it("records last_scan_completed_at and completes the delivered immediate-scan flag, so it is not re-armed", async () => {
    const s = await site();
    await requestTrigger(db(), s.applianceId, "immediate_scan", "test");
    expect(await deliverTriggers(db(), s.applianceId)).toEqual(new Set(["immediate_scan"]));
    // A batch without the completion leaves the flag open.
    await accepted(s, [result("fs01.clinic.test", "firewall", "pass", 0)]);
    let flag = await db().applianceTrigger.findFirstOrThrow({ where: { applianceId: s.applianceId } });
    expect(flag.state).toBe("delivered");
    const done = new Date(Date.now() + 1_000).toISOString();
    await accepted(s, [result("srv1.clinic.test", "firewall", "pass", 0)], { scan_completed_at: done });
    flag = await db().applianceTrigger.findFirstOrThrow({ where: { applianceId: s.applianceId } });
    expect(flag.state).toBe("completed");
    const appliance = await db().appliance.findUniqueOrThrow({ where: { id: s.applianceId } });
    expect(appliance.lastScanCompletedAt?.toISOString()).toBe(done);
    // Maintenance re-arms only delivered flags without a completion (run-maintenance.ts); this one has one.
    expect(flag.completedAt).not.toBeNull();
    // An older completion arriving late does not move it back; the matrix reports it.
    await accepted(s, [], { scan_completed_at: at(0) });
    expect((await matrix(s)).last_scan_completed_at).toBe(done);
  });
});

describe("the partner's view", () => {
  it("searches, filters, sorts and pages hosts in the database", async () => {
    const s = await site({ servers: 5 });
    await accepted(s, [
      result("srv1.clinic.test", "firewall", "pass", 0),
      result("srv1.clinic.test", "rmm", "pass", 0),
      result("srv2.clinic.test", "firewall", "fail", 5),
      result("srv2.clinic.test", "rmm", "fail", 5),
      result("srv3.clinic.test", "firewall", "pass", 10),
      result("srv3.clinic.test", "rmm", "fail", 10),
      result("srv4.clinic.test", "firewall", "unknown", 1),
      result("fs01.clinic.test", "bitlocker", "pass", 2),
    ]);
    const page1 = await matrix(s, "page_size=2");
    expect([page1.total, page1.hosts.map((h) => h.hostname)]).toEqual([5, ["fs01.clinic.test", "srv1.clinic.test"]]);
    const page3 = await matrix(s, "page_size=2&page=3");
    expect(page3.hosts.map((h) => h.hostname)).toEqual(["srv4.clinic.test"]);
    expect((await matrix(s, "page=9")).hosts).toEqual([]);
    expect((await matrix(s, "page=9")).total).toBe(5);
    const failing = await matrix(s, "status=fail&sort=failing");
    expect(failing.hosts.map((h) => h.hostname)).toEqual(["srv2.clinic.test", "srv3.clinic.test"]);
    const firewallFails = await matrix(s, "status=fail&check=firewall");
    expect(firewallFails.hosts.map((h) => [h.hostname, h.checks.map((c) => c.check)])).toEqual([
      ["srv2.clinic.test", ["firewall"]],
    ]);
    expect((await matrix(s, "q=SRV_")).hosts).toEqual([]);
    expect((await matrix(s, "q=SRV3")).hosts.map((h) => h.hostname)).toEqual(["srv3.clinic.test"]);
    expect((await matrix(s, "sort=checked_at")).hosts[0]?.hostname).toBe("srv3.clinic.test");
    expect((await matrix(s, "sort=hostname&order=desc")).hosts[0]?.hostname).toBe("srv4.clinic.test");
    expect(
      (
        await call(complianceRoute.GET, {
          method: "GET",
          auth: s.partner.apiToken,
          params: { siteId: s.siteId },
          query: "sort=os",
        })
      ).status,
    ).toBe(400);
    // The summary is the whole site's, whatever the filters.
    expect(failing.summary).toEqual({ hosts: 5, checked: 8, passing: 4, failing: 3 });
  });

  it("pages the drift timeline by cursor, newest first, filtered by host and control", async () => {
    const s = await site();
    const statuses = ["pass", "fail", "pass", "fail", "pass"] as const;
    for (const [i, status] of statuses.entries()) {
      await accepted(s, [
        result("srv1.clinic.test", "patches", status, i * 10),
        result("srv2.clinic.test", "rmm", status, i * 10),
      ]);
    }
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: ComplianceDriftPage = await drift(
        s,
        `limit=3&hostname=SRV1.clinic.test${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.drift.map((e) => `${e.hostname} ${e.from}>${e.to} ${e.checked_at}`));
      cursor = page.next_cursor;
    }
    expect(seen).toEqual([
      `srv1.clinic.test fail>pass ${at(40)}`,
      `srv1.clinic.test pass>fail ${at(30)}`,
      `srv1.clinic.test fail>pass ${at(20)}`,
      `srv1.clinic.test pass>fail ${at(10)}`,
    ]);
    expect((await drift(s, "check=rmm")).drift).toHaveLength(4);
    expect((await drift(s)).drift).toHaveLength(8);
    const bad = await call(driftRoute.GET, {
      method: "GET",
      auth: s.partner.apiToken,
      params: { siteId: s.siteId },
      query: "cursor=garbage",
    });
    expect(bad.status).toBe(400);
  });

  it("serves the same matrix and timeline over tRPC, camelCase", async () => {
    const s = await site();
    await accepted(s, [result("srv1.clinic.test", "firewall", "pass", 0)]);
    await accepted(s, [result("srv1.clinic.test", "firewall", "fail", 10)]);
    const caller = callerFor(sessionUser(s.partner.user));
    const m = await caller.sites.compliance({ siteId: s.siteId, status: "fail", pageSize: 10 });
    expect(m.hosts[0]?.checks[0]).toMatchObject({
      check: "firewall",
      status: "fail",
      checkedAt: at(10),
      changedAt: at(10),
      hipaaControl: "164.312(e)(1)",
    });
    expect(m.pageSize).toBe(10);
    const d = await caller.sites.complianceDrift({ siteId: s.siteId, limit: 5 });
    expect(d.drift.map((e) => [e.from, e.to, e.hipaaControl])).toEqual([["pass", "fail", "164.312(e)(1)"]]);
    expect(d.nextCursor).toBeNull();
  });

  it("counts AD servers with a scan result as servers scanned in the coverage", async () => {
    const s = await site({ servers: 3 });
    await accepted(s, [result("srv1.clinic.test", "firewall", "pass"), result("fs01.clinic.test", "firewall", "pass")]);
    const r = await call(coverageRoute.GET, { method: "GET", auth: s.partner.apiToken, params: { siteId: s.siteId } });
    const coverage = SiteCoverage.parse(r.json);
    // fs01 is a manual target, not in AD: srv1 is the one AD server scanned (of 4 in AD, planted included).
    expect([coverage.servers_in_ad, coverage.servers_scanned]).toEqual([4, 1]);
  });

  it("lets a read-scope token and a signed-in partner user read the matrix and the timeline", async () => {
    const s = await site();
    await accepted(s, [result("srv1.clinic.test", "patches", "pass", 0)]);
    await accepted(s, [result("srv1.clinic.test", "patches", "fail", 10)]);
    const read = await mintPartnerToken(db(), s.partner.partner.id, { name: "read", scope: "read" });
    const cookie = await sessionCookie(s.partner.email, PASSWORD);
    const callers: Array<Record<string, string>> = [{ authorization: `Bearer ${read.token}` }, { cookie }];
    for (const headers of callers) {
      const m = await call(complianceRoute.GET, { method: "GET", headers, params: { siteId: s.siteId } });
      expect(m.status, m.text).toBe(200);
      expect(SiteCompliance.parse(m.json).hosts[0]?.checks[0]?.status).toBe("fail");
      const d = await call(driftRoute.GET, { method: "GET", headers, params: { siteId: s.siteId } });
      expect(ComplianceDriftPage.parse(d.json).drift.map((e) => e.to)).toEqual(["fail"]);
    }
  });

  it("answers 404 for another partner's site, over REST and tRPC, and shows nothing of it", async () => {
    const s = await site();
    const other = await site();
    await accepted(s, [result("srv1.clinic.test", "firewall", "fail")]);
    for (const handler of [complianceRoute.GET, driftRoute.GET]) {
      const r = await call(handler, { method: "GET", auth: other.partner.apiToken, params: { siteId: s.siteId } });
      expect(r.status).toBe(404);
      expect(r.text).not.toContain("srv1");
    }
    const caller = callerFor(sessionUser(other.partner.user));
    await expect(caller.sites.compliance({ siteId: s.siteId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.sites.complianceDrift({ siteId: s.siteId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await matrix(other)).hosts).toEqual([]);
    // Without any credential: 401.
    expect((await call(complianceRoute.GET, { method: "GET", params: { siteId: s.siteId } })).status).toBe(401);
  });
});

describe("a full batch", () => {
  it("stores 5,000 results of 834 hosts in one batch, and the same batch again is a no-op", async () => {
    const s = await site({ servers: 834 });
    const checks = ["bitlocker", "defender", "firewall", "patches", "screenlock", "rmm"] as const;
    const results = s.servers.flatMap((h, i) =>
      checks.map((c) => result(h, c, (i + c.length) % 7 === 0 ? "fail" : "pass", i % 60)),
    );
    const batch = results.slice(0, 5_000);
    const r = await accepted(s, batch, { batch_id: "full" });
    expect(r).toMatchObject({ stored: 5_000, latest_updated: 5_000, drifted: 0, late: 0 });
    expect(r.newly_failing).toBe(batch.filter((x) => x.status === "fail").length);
    expect(await alerts(s)).toHaveLength(1);
    const again = await accepted(s, batch, { batch_id: "full" });
    expect(again).toEqual({ ...r, duplicate: true });
    expect((await counts(s)).history).toBe(5_000);
  });
});
