/**
 * The Appliances and Alerts lists (REST and tRPC): search, filters, sort, paging totals, 400 on bad
 * parameters, mark read one by one / by ids / all matching a filter, and names (hostname, clinic) not ids.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as appliancesRoute from "@/app/api/partners/me/appliances/route";
import * as readRoute from "@/app/api/partners/me/notifications/read/route";
import * as notificationsRoute from "@/app/api/partners/me/notifications/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import { db, disconnectDb } from "@/server/db";
import { runMaintenance } from "@/server/domain/maintenance/run-maintenance";
import { notifyPartner } from "@/server/domain/notifications/notify-partner";
import { parseServerTiming } from "@/server/http/server-timing";
import { callerFor, callRoute, makePartner, sessionUser, uniq } from "../support/factories";

afterAll(disconnectDb);

type Partner = Awaited<ReturnType<typeof makePartner>>;

async function get(mod: typeof appliancesRoute | typeof notificationsRoute, token: string, query = "") {
  const res = await callRoute(
    mod.GET,
    new Request(`http://x/api${query}`, { headers: { authorization: `Bearer ${token}` } }),
  );
  return { status: res.status, json: await res.json() };
}

async function post(token: string, body: unknown) {
  const res = await callRoute(
    readRoute.POST,
    new Request("http://x/api", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: res.status, json: await res.json() };
}

async function site(partnerId: string, clinic: string) {
  const id = uniq("site");
  await db().site.create({ data: { id, partnerId, clientName: clinic } });
  return id;
}

async function appliance(
  siteId: string,
  hostname: string,
  status: "online" | "offline" | "provisioning" | "error",
  minutesAgo: number | null,
  version: string | null = null,
) {
  const mac = Array.from(randomBytes(6), (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
  return db().appliance.create({
    data: {
      id: `${siteId}-${mac}`,
      siteId,
      macAddress: mac,
      hostname,
      apiKeyHash: randomBytes(32).toString("hex"),
      status,
      agentVersion: version,
      lastCheckinAt: minutesAgo === null ? null : new Date(Date.now() - minutesAgo * 60_000),
    },
  });
}

describe("appliances list", () => {
  let p: Partner;
  let north: string;
  let south: string;
  beforeAll(async () => {
    p = await makePartner();
    north = await site(p.partner.id, "North Clinic");
    south = await site(p.partner.id, "South Dental");
    await appliance(north, "nc-front-desk", "online", 1, "1.2.0");
    await appliance(north, "nc-lab-01", "offline", 90, "1.1.0");
    await appliance(north, "nc-lab-02", "online", 2, "1.2.0");
    await appliance(south, "sd-reception", "offline", 30, "1.0.0");
    await appliance(south, "sd-new", "provisioning", null);
    await appliance(south, "sd-broken", "error", 600, "1.2.0");
    // Another partner's appliance with a matching name never shows.
    const other = await makePartner();
    await appliance(await site(other.partner.id, "North Clinic"), "nc-lab-03", "offline", 5);
  });

  it("lists every appliance across sites, sorted by hostname, with the total", async () => {
    const r = await get(appliancesRoute, p.apiToken);
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(6);
    expect(r.json.appliances.map((a: { hostname: string }) => a.hostname)).toEqual([
      "nc-front-desk",
      "nc-lab-01",
      "nc-lab-02",
      "sd-broken",
      "sd-new",
      "sd-reception",
    ]);
    expect(r.json.appliances[0]).toMatchObject({ site_name: "North Clinic", status: "online", agent_version: "1.2.0" });
  });

  it("searches by part of a hostname, a clinic name or an id, and filters by status and site", async () => {
    const lab = await get(appliancesRoute, p.apiToken, "?q=LAB");
    expect(lab.json.appliances.map((a: { hostname: string }) => a.hostname)).toEqual(["nc-lab-01", "nc-lab-02"]);
    expect((await get(appliancesRoute, p.apiToken, "?q=dental")).json.total).toBe(3);
    expect((await get(appliancesRoute, p.apiToken, `?q=${south}`)).json.total).toBe(3);
    const offlineLab = await get(appliancesRoute, p.apiToken, "?q=lab&status=offline");
    expect(offlineLab.json.appliances.map((a: { hostname: string }) => a.hostname)).toEqual(["nc-lab-01"]);
    expect(offlineLab.json.total).toBe(1);
    const southOffline = await get(appliancesRoute, p.apiToken, `?site=${south}&status=offline`);
    expect(southOffline.json.appliances.map((a: { hostname: string }) => a.hostname)).toEqual(["sd-reception"]);
    expect((await get(appliancesRoute, p.apiToken, "?status=error")).json.total).toBe(1);
    // A literal % is not a wildcard.
    expect((await get(appliancesRoute, p.apiToken, "?q=%25")).json.total).toBe(0);
  });

  it("sorts by last check-in (never checked in last) and by site, and pages with a stable total", async () => {
    const byCheckin = await get(appliancesRoute, p.apiToken, "?sort=last_checkin&order=desc");
    expect(byCheckin.json.appliances.map((a: { hostname: string }) => a.hostname)).toEqual([
      "nc-front-desk",
      "nc-lab-02",
      "sd-reception",
      "nc-lab-01",
      "sd-broken",
      "sd-new",
    ]);
    const bySite = await get(appliancesRoute, p.apiToken, "?sort=site&order=desc");
    expect(bySite.json.appliances[0].site_name).toBe("South Dental");
    const page2 = await get(appliancesRoute, p.apiToken, "?page=2&page_size=4");
    expect(page2.json).toMatchObject({ page: 2, page_size: 4, total: 6 });
    expect(page2.json.appliances.map((a: { hostname: string }) => a.hostname)).toEqual(["sd-new", "sd-reception"]);
    const past = await get(appliancesRoute, p.apiToken, "?page=9&page_size=4");
    expect(past.json).toMatchObject({ appliances: [], total: 6 });
  });

  it("answers 400 to bad parameters", async () => {
    for (const q of ["?status=sleeping", "?sort=mac", "?order=up", "?page=0", "?page_size=1000", "?page=x"]) {
      const r = await get(appliancesRoute, p.apiToken, q);
      expect(r.status, q).toBe(400);
      expect(r.json.error).toEqual(expect.any(String));
    }
  });

  it("gives the UI the same list over tRPC, camelCase", async () => {
    const c = callerFor(sessionUser(p.user));
    const page = await c.appliances.list({ q: "sd-", status: "offline", sort: "hostname", order: "asc" });
    expect(page).toMatchObject({ total: 1, pageSize: 25 });
    expect(page.appliances[0]).toMatchObject({ hostname: "sd-reception", siteName: "South Dental", siteId: south });
  });
});

describe("alerts list", () => {
  let p: Partner;
  let north: string;
  let south: string;
  beforeAll(async () => {
    p = await makePartner();
    north = await site(p.partner.id, "North Clinic");
    south = await site(p.partner.id, "South Dental");
    const a = await appliance(north, "nc-lab-01", "online", 20);
    await appliance(south, "sd-reception", "online", 1);
    await runMaintenance(db()); // nc-lab-01 goes offline: an appliance.offline alert
    await notifyPartner(db(), p.partner.id, {
      siteId: south,
      kind: "enumeration_failed",
      title: "Enumeration of south.local failed",
      body: "bind refused",
    });
    await notifyPartner(db(), p.partner.id, {
      siteId: north,
      applianceId: a.id,
      kind: "domain_discovery_failed",
      title: "No Active Directory domain found",
      body: "nc-lab-01 searched north.local",
    });
    // The clinic is renamed later: the list shows the current name.
    await db().site.update({ where: { id: north }, data: { clientName: "North Family Clinic" } });
  });

  it("keeps its no-parameter answer: { notifications } newest first", async () => {
    const r = await get(notificationsRoute, p.apiToken);
    expect(r.status).toBe(200);
    expect(r.json.notifications.map((n: { type: string }) => n.type)).toEqual([
      "domain_discovery_failed",
      "enumeration_failed",
      "appliance_offline",
    ]);
    expect(r.json).toMatchObject({ total: 3, unread: 3, page: 1, page_size: 50 });
    expect((await get(notificationsRoute, p.apiToken, "?limit=1")).json.notifications).toHaveLength(1);
  });

  it("names appliances by hostname and sites by their current clinic name, never the internal id", async () => {
    const r = await get(notificationsRoute, p.apiToken, "?type=appliance_offline");
    expect(r.json.total).toBe(1);
    const [offline] = r.json.notifications;
    expect(offline).toMatchObject({ hostname: "nc-lab-01", site_name: "North Family Clinic", site_id: north });
    expect(offline.detail).toContain("nc-lab-01");
    expect(`${offline.message} ${offline.detail}`).not.toContain(offline.appliance_id);
    expect(offline.appliance_id).toMatch(new RegExp(`^${north}-`));
  });

  it("filters by type, site, read state and search, sorts by time and pages with totals", async () => {
    expect((await get(notificationsRoute, p.apiToken, `?site=${south}`)).json.total).toBe(1);
    expect((await get(notificationsRoute, p.apiToken, "?q=family")).json.total).toBe(2); // site name
    expect((await get(notificationsRoute, p.apiToken, "?q=NC-LAB")).json.total).toBe(2); // hostname
    expect((await get(notificationsRoute, p.apiToken, "?type=appliance.offline")).json.total).toBe(1);
    const oldest = await get(notificationsRoute, p.apiToken, "?order=asc&page=2&page_size=2");
    expect(oldest.json).toMatchObject({ page: 2, page_size: 2, total: 3 });
    expect(oldest.json.notifications.map((n: { type: string }) => n.type)).toEqual(["domain_discovery_failed"]);
    for (const q of ["?read=maybe", "?order=sideways", "?page_size=0", "?type=DROP%20TABLE", "?limit=999"]) {
      const r = await get(notificationsRoute, p.apiToken, q);
      expect(r.status, q).toBe(400);
      expect(r.json.error).toEqual(expect.any(String));
    }
  });

  it("marks one read, then all matching a filter, then the rest", async () => {
    const all = (await get(notificationsRoute, p.apiToken)).json.notifications as Array<{ id: string; type: string }>;
    const one = all.find((n) => n.type === "enumeration_failed")?.id as string;
    expect((await post(p.apiToken, { ids: [one] })).json).toEqual({ marked: 1 });
    expect((await post(p.apiToken, { ids: [one] })).json).toEqual({ marked: 0 });
    const unread = await get(notificationsRoute, p.apiToken, "?read=unread");
    expect(unread.json.total).toBe(2);
    expect(unread.json.notifications.map((n: { id: string }) => n.id)).not.toContain(one);
    expect((await get(notificationsRoute, p.apiToken, "?read=read")).json.total).toBe(1);

    // All matching: only the offline alert of North.
    expect((await post(p.apiToken, { all_matching: { site: north, type: "appliance_offline" } })).json).toEqual({
      marked: 1,
    });
    expect((await get(notificationsRoute, p.apiToken, "?read=unread")).json.notifications).toEqual([
      expect.objectContaining({ type: "domain_discovery_failed" }),
    ]);
    // tRPC: everything matching no filter.
    const c = callerFor(sessionUser(p.user));
    expect(await c.notifications.markRead({ allMatching: {} })).toEqual({ marked: 1 });
    const page = await c.notifications.page({ read: "unread" });
    expect(page).toMatchObject({ total: 0, unread: 0, notifications: [] });
  });

  it("answers 400 to a mark-read body that names neither or both, or too many ids", async () => {
    for (const body of [{}, { ids: [] }, { ids: ["x"], all_matching: {} }, { all_matching: { read: "soon" } }]) {
      const r = await post(p.apiToken, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error).toEqual(expect.any(String));
    }
  });
});

describe("list search through the indexes, within the partner", () => {
  let p: Partner;
  let other: Partner;
  let clinic: string;
  beforeAll(async () => {
    p = await makePartner();
    other = await makePartner();
    clinic = await site(p.partner.id, "Riverside Pediatrics");
    const mine = await appliance(clinic, "pc-riverside-00042", "offline", 90);
    // The other partner has a clinic and a host of the same names, and alerts about them.
    const theirsSite = await site(other.partner.id, "Riverside Pediatrics");
    const theirs = await appliance(theirsSite, "pc-riverside-00042", "offline", 90);
    await notifyPartner(db(), p.partner.id, {
      siteId: clinic,
      applianceId: mine.id,
      kind: "appliance.offline",
      title: "Appliance offline",
      body: "has not checked in for 3 minutes.",
    });
    await notifyPartner(db(), p.partner.id, { kind: "trigger.failed", title: "Scan not completed", body: "no site" });
    // A revoked appliance at another of the partner's clinics: out of service, in no state.
    const revoked = await appliance(await site(p.partner.id, "Lakeview Dental"), "pc-lakeview-00077", "offline", 900);
    await db().appliance.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    await notifyPartner(db(), other.partner.id, {
      siteId: theirsSite,
      applianceId: theirs.id,
      kind: "appliance.offline",
      title: "Appliance offline",
      body: "has not checked in for 3 minutes.",
    });
  });

  it("finds an alert by its appliance's hostname or its clinic's name, and never another partner's", async () => {
    for (const q of ["riverside-0004", "RIVERSIDE PED", "verside"]) {
      const r = await get(notificationsRoute, p.apiToken, `?q=${encodeURIComponent(q)}`);
      expect(r.json.total, q).toBe(1);
      expect(r.json.notifications[0]).toMatchObject({
        hostname: "pc-riverside-00042",
        site_name: "Riverside Pediatrics",
      });
    }
    expect((await get(notificationsRoute, p.apiToken, "?q=not%20completed")).json.total).toBe(1); // message
    expect((await get(notificationsRoute, p.apiToken, "?q=3%20minutes")).json.total).toBe(1); // detail
    expect((await get(notificationsRoute, p.apiToken, "?q=zz-nothing")).json).toMatchObject({ total: 0, unread: 2 });
    const theirs = await get(notificationsRoute, other.apiToken, "?q=riverside");
    expect(theirs.json.total).toBe(1);
    expect(theirs.json.notifications[0].site_id).not.toBe(clinic);
  });

  it("marks read all alerts matching a search, only the partner's own", async () => {
    expect((await post(p.apiToken, { all_matching: { q: "riverside" } })).json).toEqual({ marked: 1 });
    expect((await get(notificationsRoute, p.apiToken, "?read=unread")).json.notifications).toEqual([
      expect.objectContaining({ type: "trigger_failed" }),
    ]);
    expect((await get(notificationsRoute, other.apiToken, "?read=unread")).json.total).toBe(1);
  });

  it("finds an appliance by part of its hostname, clinic or id, never another partner's", async () => {
    for (const q of ["riverside-0004", "Pediatrics", clinic.slice(2, 12)]) {
      const r = await get(appliancesRoute, p.apiToken, `?q=${encodeURIComponent(q)}`);
      expect(r.json.total, q).toBe(1);
      expect(r.json.appliances[0]).toMatchObject({
        hostname: "pc-riverside-00042",
        site_id: clinic,
        status: "offline",
      });
    }
  });

  it("counts a revoked appliance under no status, as the dashboard does, and lists it unfiltered", async () => {
    const offline = await get(appliancesRoute, p.apiToken, "?status=offline");
    expect(offline.json.appliances.map((a: { hostname: string }) => a.hostname)).toEqual(["pc-riverside-00042"]);
    const summary = await callerFor(sessionUser(p.user)).partner.dashboard();
    expect(summary.appliances.offline).toBe(offline.json.total);
    const all = await get(appliancesRoute, p.apiToken, "?q=lakeview");
    expect(all.json.appliances).toEqual([
      expect.objectContaining({ hostname: "pc-lakeview-00077", status: "offline" }),
    ]);
    expect(all.json.appliances[0].revoked_at).toEqual(expect.any(String));
  });

  it("says how long the server took in a Server-Timing header", async () => {
    for (const mod of [appliancesRoute, notificationsRoute]) {
      const res = await callRoute(
        mod.GET,
        new Request("http://x/api?q=riverside", { headers: { authorization: `Bearer ${p.apiToken}` } }),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("server-timing")).toMatch(/^app;dur=\d+\.\d$/);
      expect(parseServerTiming(res.headers.get("server-timing"))).toBeGreaterThan(0);
    }
    // The pages' own requests (tRPC) too, answered or refused.
    const trpc = await trpcRoute.GET(new Request("http://x/api/trpc/notifications.unreadCount"));
    expect(trpc.status).toBe(401);
    expect(parseServerTiming(trpc.headers.get("server-timing"))).toEqual(expect.any(Number));
  });
});
