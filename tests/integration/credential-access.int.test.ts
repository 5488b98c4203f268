import { afterAll, describe, expect, it, vi } from "vitest";
import * as accessRoute from "@/app/api/partners/me/sites/[siteId]/credential-access/route";
import { CredentialAccessPage } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool, pgPool } from "@/server/db-pg";
import { pruneCredentialAccess } from "@/server/domain/credential-access/prune-credential-access";
import { recordCredentialReleases } from "@/server/domain/credential-access/record-credential-releases";
import { runMaintenance } from "@/server/domain/maintenance/run-maintenance";
import { resetEnvCache } from "@/server/env";
import { closeRedis } from "@/server/redis";
import {
  callerFor,
  callRoute,
  makePartner,
  makeSiteWithAppliance,
  makeUser,
  sessionUser,
  uniq,
} from "../support/factories";

afterAll(async () => {
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rowsOf(siteId: string) {
  return db().credentialAccess.findMany({
    where: { siteId },
    orderBy: [{ hour: "asc" }, { applianceId: "asc" }, { credentialId: "asc" }],
  });
}

async function getAccess(token: string, siteId: string, query = "") {
  const res = await callRoute(
    accessRoute.GET,
    new Request(`http://x/api/partners/me/sites/${siteId}/credential-access${query}`, {
      headers: { authorization: `Bearer ${token}` },
    }),
    { siteId },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Rows written straight through the domain function, at chosen times. */
async function seed(siteId: string, entries: Array<{ appliance: string; credential: string; at: Date }>) {
  await Promise.all(
    entries.map((e) =>
      recordCredentialReleases({ siteId, applianceId: e.appliance, credentialIds: [e.credential], releasedAt: e.at }),
    ),
  );
}

describe("recording releases", () => {
  it("aggregates a batch with duplicates into one row per appliance · credential · hour, in one statement", async () => {
    const siteId = uniq("site");
    const hour = Date.UTC(2026, 10, 3, 9);
    const query = vi.spyOn(pgPool(), "query");
    // 30 check-ins in one turn: appliance a with credentials c1 and c2 ten times each, appliance b with c1 ten times.
    const waits = [];
    for (let i = 0; i < 10; i++) {
      const at = new Date(hour + (i + 1) * 60_000);
      waits.push(recordCredentialReleases({ siteId, applianceId: "a", credentialIds: ["c1", "c2"], releasedAt: at }));
      waits.push(recordCredentialReleases({ siteId, applianceId: "b", credentialIds: ["c1"], releasedAt: at }));
      waits.push(recordCredentialReleases({ siteId, applianceId: "a", credentialIds: ["c1"], releasedAt: at }));
    }
    await Promise.all(waits);
    const upserts = query.mock.calls.filter(([q]) => (q as { name?: string }).name?.startsWith("credential-access"));
    query.mockRestore();
    expect(upserts).toHaveLength(1);

    const rows = await rowsOf(siteId);
    expect(rows.map((r) => [r.applianceId, r.credentialId, r.count])).toEqual([
      ["a", "c1", 20],
      ["a", "c2", 10],
      ["b", "c1", 10],
    ]);
    for (const r of rows) {
      expect(r.hour.getTime()).toBe(hour);
      expect(r.firstReleasedAt.getTime()).toBe(hour + 60_000);
      expect(r.lastReleasedAt.getTime()).toBe(hour + 10 * 60_000);
    }

    // A later batch adds to the same rows and widens first/last.
    await seed(siteId, [{ appliance: "b", credential: "c1", at: new Date(hour + 30_000) }]);
    const b = (await rowsOf(siteId)).find((r) => r.applianceId === "b");
    expect(b).toMatchObject({ count: 11, firstReleasedAt: new Date(hour + 30_000) });
  });

  it("rolls over to a new row when the hour changes", async () => {
    const siteId = uniq("site");
    const eleven = Date.UTC(2026, 10, 3, 11);
    await seed(siteId, [
      { appliance: "a", credential: "c", at: new Date(eleven - 1) },
      { appliance: "a", credential: "c", at: new Date(eleven) },
      { appliance: "a", credential: "c", at: new Date(eleven + HOUR - 1) },
    ]);
    const rows = await rowsOf(siteId);
    expect(rows.map((r) => [r.hour.toISOString(), r.count, r.firstReleasedAt.toISOString()])).toEqual([
      ["2026-11-03T10:00:00.000Z", 1, "2026-11-03T10:59:59.999Z"],
      ["2026-11-03T11:00:00.000Z", 2, "2026-11-03T11:00:00.000Z"],
    ]);
    expect(rows[1]?.lastReleasedAt.toISOString()).toBe("2026-11-03T11:59:59.999Z");
  });

  it("keeps concurrent batches over the same hot rows consistent (no deadlock, no lost count)", async () => {
    const siteId = uniq("site");
    const at = new Date();
    const keys = Array.from({ length: 40 }, (_, i) => `cred-${i}`);
    // Many turns' worth of releases over the same rows, each batch in a different order.
    const waits = [];
    for (let turn = 0; turn < 30; turn++) {
      const order = turn % 2 ? [...keys].reverse() : keys;
      waits.push(recordCredentialReleases({ siteId, applianceId: "hot", credentialIds: order, releasedAt: at }));
      if (turn % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(waits);
    const rows = await rowsOf(siteId);
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.count === 30)).toBe(true);
  });
});

describe("GET /api/partners/me/sites/{site_id}/credential-access", () => {
  it("pages newest hour first with next_cursor, filters by credential, and refuses another partner's site", async () => {
    const partner = await makePartner();
    const { siteId } = await makeSiteWithAppliance(partner.partner.id);
    const base = Date.UTC(2026, 10, 20, 0);
    const entries = [];
    // 5 hours × 2 appliances × 2 credentials = 20 rows; 3 releases each.
    for (let h = 0; h < 5; h++) {
      for (const appliance of ["app-1", "app-2"]) {
        for (const credential of ["cred-a", "cred-b"]) {
          for (let n = 0; n < 3; n++) entries.push({ appliance, credential, at: new Date(base + h * HOUR + n * 1000) });
        }
      }
    }
    await seed(siteId, entries);

    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await getAccess(partner.apiToken, siteId, `?limit=6${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = CredentialAccessPage.parse(res.body);
      seen.push(...page.access);
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(20);
    // Newest hour first; within an hour by appliance, then credential.
    const hours = seen.map((e) => new Date(e.first_released_at as string).getUTCHours());
    expect(hours).toEqual([...hours].sort((x, y) => y - x));
    expect(seen[0]).toEqual({
      credential_id: "cred-a",
      appliance_id: "app-1",
      first_released_at: new Date(base + 4 * HOUR).toISOString(),
      last_released_at: new Date(base + 4 * HOUR + 2000).toISOString(),
      count: 3,
    });
    expect(new Set(seen.map((e) => JSON.stringify(e))).size).toBe(20);

    const filtered = CredentialAccessPage.parse(
      (await getAccess(partner.apiToken, siteId, "?credential_id=cred-b")).body,
    );
    expect(filtered.access).toHaveLength(10);
    expect(filtered.access.every((e) => e.credential_id === "cred-b")).toBe(true);
    expect(filtered.next_cursor).toBeNull();

    const bad = await getAccess(partner.apiToken, siteId, "?cursor=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/cursor/);
    expect((await getAccess(partner.apiToken, siteId, "?limit=0")).status).toBe(400);

    const other = await makePartner();
    const refused = await getAccess(other.apiToken, siteId);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).not.toContain("cred-a");
    expect((await getAccess("occ_pat_not-a-token", siteId)).status).toBe(401);
  });

  it("feeds the site page through tRPC with the same pages, and refuses another partner there too", async () => {
    const partner = await makePartner();
    const { siteId } = await makeSiteWithAppliance(partner.partner.id);
    await seed(siteId, [
      { appliance: "app-1", credential: "cred-a", at: new Date(Date.UTC(2026, 10, 21, 8, 5)) },
      { appliance: "app-1", credential: "cred-a", at: new Date(Date.UTC(2026, 10, 21, 9, 5)) },
    ]);
    const me = callerFor(sessionUser(await makeUser("partner_admin", partner.partner.id)));
    const first = await me.sites.credentialAccess({ siteId, limit: 1 });
    expect(first.access.map((e) => e.firstReleasedAt)).toEqual(["2026-11-21T09:05:00.000Z"]);
    const second = await me.sites.credentialAccess({ siteId, limit: 1, cursor: first.nextCursor ?? "" });
    expect(second).toEqual({
      access: [expect.objectContaining({ firstReleasedAt: "2026-11-21T08:05:00.000Z", count: 1 })],
      nextCursor: null,
    });

    const other = await makePartner();
    const them = callerFor(sessionUser(await makeUser("partner_admin", other.partner.id)));
    await expect(them.sites.credentialAccess({ siteId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("retention", () => {
  it("deletes only rows whose hour is entirely past the retention period, in batches", async () => {
    const siteId = uniq("site");
    const now = new Date(Date.UTC(2026, 11, 1, 12, 30));
    const old = Array.from({ length: 7 }, (_, i) => ({
      appliance: "a",
      credential: `old-${i}`,
      at: new Date(now.getTime() - 401 * DAY - i * HOUR),
    }));
    // This hour began more than 400 days ago but a release in it is younger: it stays.
    const edge = { appliance: "a", credential: "edge", at: new Date(now.getTime() - 400 * DAY + 60_000) };
    const recent = { appliance: "a", credential: "recent", at: new Date(now.getTime() - 399 * DAY) };
    await seed(siteId, [...old, edge, recent]);

    expect(await pruneCredentialAccess(db(), { retentionDays: 400, now, batchSize: 3 })).toBe(7);
    expect((await rowsOf(siteId)).map((r) => r.credentialId).sort()).toEqual(["edge", "recent"]);
    expect(await pruneCredentialAccess(db(), { retentionDays: 400, now, batchSize: 3 })).toBe(0);
  });

  it("is run by the maintenance job, with the period from CREDENTIAL_ACCESS_RETENTION_DAYS", async () => {
    const siteId = uniq("site");
    const at = (days: number) => new Date(Date.now() - days * DAY);
    await seed(siteId, [
      { appliance: "a", credential: "ten-days", at: at(10) },
      { appliance: "a", credential: "two-days", at: at(2) },
    ]);
    process.env.CREDENTIAL_ACCESS_RETENTION_DAYS = "5";
    resetEnvCache();
    try {
      const result = await runMaintenance(db());
      expect(result.accessPruned).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.CREDENTIAL_ACCESS_RETENTION_DAYS;
      resetEnvCache();
    }
    expect((await rowsOf(siteId)).map((r) => r.credentialId)).toEqual(["two-days"]);
  });
});
