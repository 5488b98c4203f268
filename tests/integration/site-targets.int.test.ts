/**
 * The targets lists searched, filtered, sorted and paged by PostgreSQL, through the REST route (snake_case
 * query) and tRPC (camelCase input): page totals, every sort column both ways, search on hostname, name, OS
 * and OU, the provenance and status filters, 400s with a readable reason, and another partner's site a 404.
 * Rows are written straight to the tables the enumeration merge fills (the merge has its own tests).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as targetsRoute from "@/app/api/partners/me/sites/[siteId]/targets/route";
import { SiteTargets } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { closeRedis } from "@/server/redis";
import { call } from "../support/directory";
import { callerFor, makePartner, makeSiteWithAppliance, sessionUser } from "../support/factories";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

let partner: Awaited<ReturnType<typeof makePartner>>;
let other: Awaited<ReturnType<typeof makePartner>>;
let siteId: string;

/** 30 servers (srv01…srv30) and 60 workstations (ws01…ws60), with known OS, logons and states. */
beforeAll(async () => {
  partner = await makePartner();
  other = await makePartner();
  ({ siteId } = await makeSiteWithAppliance(partner.partner.id));
  const seenAt = new Date("2026-11-01T00:00:00Z");
  await db().windowsTarget.createMany({
    data: Array.from({ length: 30 }, (_, i) => {
      const n = String(i + 1).padStart(2, "0");
      return {
        siteId,
        hostname: `srv${n}.clinic.test`,
        name: `SRV${n}`,
        // srv01–10 Server 2016, srv11–20 2019, srv21–30 2022
        operatingSystem: `Windows Server ${i < 10 ? 2016 : i < 20 ? 2019 : 2022} Standard`,
        distinguishedName: `CN=SRV${n},OU=${i % 2 ? "Lab" : "Imaging"},OU=Servers,DC=clinic,DC=test`,
        // srv01 awaiting approval, srv02 disabled, srv03 stale, srv04 not seen; the rest approved and fresh.
        approval: i === 0 ? "awaiting_approval" : "approved",
        enabled: i !== 1,
        lastLogonAt: i === 2 ? ago(90) : ago(i + 1),
        lastSeenAt: new Date(seenAt.getTime() + i * 3_600_000),
        missingSince: i === 3 ? ago(2) : null,
        domain: "clinic.test",
      };
    }),
  });
  await db().workstation.createMany({
    data: Array.from({ length: 60 }, (_, i) => {
      const n = String(i + 1).padStart(2, "0");
      return {
        siteId,
        hostname: `ws${n}.clinic.test`,
        name: i === 41 ? "RECEPTION-PC" : `WS${n}`,
        operatingSystem: i % 3 === 0 ? "Windows 10 Pro" : "Windows 11 Pro",
        distinguishedName: `CN=WS${n},OU=${i < 20 ? "Front Desk" : "Exam Rooms"},OU=Workstations,DC=clinic,DC=test`,
        enabled: i !== 5,
        lastLogonAt: i === 6 ? ago(100) : ago(1),
        lastSeenAt: seenAt,
        missingSince: i === 7 ? ago(3) : null,
      };
    }),
  });
  // A manual target AD also lists (srv05) and one AD does not list (nas.clinic.test).
  for (const host of ["SRV05.clinic.test", "nas.clinic.test"]) {
    await createSiteCredential(
      db(),
      partner.partner.id,
      siteId,
      { credential_type: "winrm", credential_name: host, host, username: "local", password: "manual-secret!" },
      { actorType: "system" },
    );
  }
});

afterAll(async () => {
  await disconnectDb();
  await closeRedis();
});

async function get(query: string, token = partner.apiToken, site = siteId) {
  return call(targetsRoute.GET, { method: "GET", auth: token, params: { siteId: site }, query });
}

async function list(query: string) {
  const res = await get(query);
  expect(res.status, res.text).toBe(200);
  expect(res.text).not.toContain("manual-secret!");
  return SiteTargets.parse(res.json);
}

const hosts = (rows: Array<{ hostname: string }>) => rows.map((r) => r.hostname.split(".")[0]);
const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, "0")}`);

describe("GET /api/partners/me/sites/{site_id}/targets", () => {
  it("without parameters: the first 25 of each list by hostname, page totals and the awaiting count", async () => {
    const t = await list("");
    expect(hosts(t.servers)).toEqual(["nas", ...range("srv", 1, 24)]);
    expect(hosts(t.workstations)).toEqual(range("ws", 1, 25));
    expect(t.servers_page).toEqual({ page: 1, page_size: 25, total: 31 });
    expect(t.workstations_page).toEqual({ page: 1, page_size: 25, total: 60 });
    expect(t.servers_awaiting_approval).toBe(1);
    // The fields existing clients read are all there.
    const srv05 = t.servers.find((s) => s.hostname === "srv05.clinic.test");
    expect(srv05).toMatchObject({ provenance: ["manual", "discovered"], approval: "manual", port: 5985 });
    expect(t.servers[0]).toMatchObject({ id: null, provenance: ["manual"], status: "manual" });
  });

  it("pages: page 2 and the last partial page follow on, a page past the end is empty with the total", async () => {
    const p2 = await list("kind=workstation&page=2");
    expect(hosts(p2.workstations)).toEqual(range("ws", 26, 50));
    const p3 = await list("kind=workstation&page=3&page_size=25");
    expect(hosts(p3.workstations)).toEqual(range("ws", 51, 60));
    const past = await list("kind=workstation&page=9");
    expect(past.workstations).toEqual([]);
    expect(past.workstations_page).toEqual({ page: 9, page_size: 25, total: 60 });
    const big = await list("kind=workstation&page_size=100");
    expect(big.workstations).toHaveLength(60);
  });

  it("kind: one list only, the other empty with a null page", async () => {
    const s = await list("kind=server");
    expect(s.workstations).toEqual([]);
    expect(s.workstations_page).toBeNull();
    expect(s.servers_page?.total).toBe(31);
    const w = await list("kind=workstation");
    expect(w.servers).toEqual([]);
    expect(w.servers_page).toBeNull();
    expect(w.servers_awaiting_approval).toBe(1);
  });

  it("sorts by hostname both ways", async () => {
    expect(hosts((await list("kind=server&sort=hostname&order=desc&page_size=3")).servers)).toEqual([
      "srv30",
      "srv29",
      "srv28",
    ]);
  });

  it("sorts by OS (ties by hostname), unknown OS last both ways", async () => {
    const asc = await list("kind=server&sort=os&page_size=100");
    expect(hosts(asc.servers)).toEqual([
      ...range("srv", 1, 10),
      ...range("srv", 11, 20),
      ...range("srv", 21, 30),
      "nas",
    ]);
    const desc = await list("kind=server&sort=os&order=desc&page_size=100");
    expect(hosts(desc.servers)).toEqual([
      ...range("srv", 21, 30),
      ...range("srv", 11, 20),
      ...range("srv", 1, 10),
      "nas",
    ]);
  });

  it("sorts by last logon and by last seen in AD", async () => {
    // Logons: srvN logged on N days ago, but srv03 90 days ago.
    const logon = await list("kind=server&sort=last_logon&order=desc&page_size=100");
    expect(hosts(logon.servers)).toEqual(["srv01", "srv02", ...range("srv", 4, 30), "srv03", "nas"]);
    const logonAsc = await list("kind=server&sort=last_logon&page_size=3");
    expect(hosts(logonAsc.servers)).toEqual(["srv03", "srv30", "srv29"]);
    // Seen: srvN an hour after srv(N-1).
    const seen = await list("kind=server&sort=last_seen&order=desc&page_size=2");
    expect(hosts(seen.servers)).toEqual(["srv30", "srv29"]);
    const seenAsc = await list("kind=server&sort=last_seen&page_size=2");
    expect(hosts(seenAsc.servers)).toEqual(["srv01", "srv02"]);
  });

  it("sorts by status in its documented order: not seen, awaiting approval, disabled, stale, approved, manual", async () => {
    const s = await list("kind=server&sort=status&page_size=100");
    expect(s.servers.slice(0, 4).map((x) => [x.hostname.split(".")[0], x.status])).toEqual([
      ["srv04", "not_seen"],
      ["srv01", "awaiting_approval"],
      ["srv02", "disabled"],
      ["srv03", "stale"],
    ]);
    expect(s.servers.slice(4, -2).every((x) => x.status === "approved")).toBe(true);
    expect(hosts(s.servers.slice(-2))).toEqual(["nas", "srv05"]);
    const desc = await list("kind=server&sort=status&order=desc&page_size=2");
    expect(hosts(desc.servers)).toEqual(["nas", "srv05"]);
    const ws = await list("kind=workstation&sort=status&page_size=3");
    expect(ws.workstations.map((w) => [w.hostname.split(".")[0], w.status])).toEqual([
      ["ws08", "not_seen"],
      ["ws06", "disabled"],
      ["ws07", "stale"],
    ]);
  });

  it("searches hostname, AD name, OS and OU, case-insensitively, with % and _ taken literally", async () => {
    expect(hosts((await list("kind=workstation&q=RECEPTION")).workstations)).toEqual(["ws42"]);
    expect(hosts((await list("kind=server&q=SRV1")).servers)).toEqual(range("srv", 10, 19));
    const os = await list("kind=server&q=server%202016");
    expect(os.servers_page?.total).toBe(10);
    const ou = await list("kind=workstation&q=front%20desk");
    expect(ou.workstations_page?.total).toBe(20);
    expect((await list("q=%25")).servers_page?.total).toBe(0);
    expect((await list("q=s_v")).servers_page?.total).toBe(0);
  });

  it("filters by provenance and status, combined with search", async () => {
    const manual = await list("provenance=manual");
    expect(hosts(manual.servers)).toEqual(["nas", "srv05"]);
    expect(manual.workstations_page?.total).toBe(0);
    expect((await list("kind=server&provenance=discovered")).servers_page?.total).toBe(30);
    for (const [status, server, workstation] of [
      ["awaiting_approval", ["srv01"], []],
      ["disabled", ["srv02"], ["ws06"]],
      ["stale", ["srv03"], ["ws07"]],
      ["not_seen", ["srv04"], ["ws08"]],
    ] as const) {
      const t = await list(`status=${status}`);
      expect(hosts(t.servers), status).toEqual(server);
      expect(hosts(t.workstations), status).toEqual(workstation);
    }
    expect((await list("kind=server&status=approved")).servers_page?.total).toBe(25);
    expect((await list("kind=workstation&status=listed")).workstations_page?.total).toBe(57);
    const both = await list("kind=workstation&status=disabled&q=front");
    expect(hosts(both.workstations)).toEqual(["ws06"]);
  });

  it("answers 400 with the parameter and the reason for bad parameters", async () => {
    for (const [query, reason] of [
      ["kind=printer", /kind: must be server or workstation/],
      ["sort=ip", /sort: must be one of hostname, os, last_logon, last_seen, status/],
      ["order=up", /order: must be asc or desc/],
      ["page=0", /page: must be at least 1/],
      ["page=two", /page: must be a number/],
      ["page_size=101", /page_size: must be at most 100/],
      ["page_size=2.5", /page_size: must be a whole number/],
      ["status=broken", /status: must be one of/],
      ["provenance=ldap", /provenance: must be manual or discovered/],
      [`q=${"x".repeat(201)}`, /q: must be at most 200 characters/],
    ] as const) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(res.json.error, query).toMatch(reason);
    }
  });

  it("answers 404 for another partner's site, and for a site that does not exist", async () => {
    const res = await get("", other.apiToken);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("srv01");
    expect((await get("", partner.apiToken, "no-such-site")).status).toBe(404);
  });
});

describe("sites.targets (tRPC)", () => {
  it("takes the same query in camelCase (pageSize, lastLogon) and answers in camelCase", async () => {
    const caller = callerFor(sessionUser(partner.user));
    const t = await caller.sites.targets({ siteId, kind: "server", sort: "lastLogon", order: "asc", pageSize: 2 });
    expect(t.servers.map((s) => s.hostname)).toEqual(["srv03.clinic.test", "srv30.clinic.test"]);
    expect(t.serversPage).toEqual({ page: 1, pageSize: 2, total: 31 });
    expect(t.workstationsPage).toBeNull();
    expect(t.serversAwaitingApproval).toBe(1);
    await expect(caller.sites.targets({ siteId, pageSize: 500 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.sites.targets({ siteId, sort: "last_logon" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses another partner's site with NOT_FOUND", async () => {
    const caller = callerFor(sessionUser(other.user));
    await expect(caller.sites.targets({ siteId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
