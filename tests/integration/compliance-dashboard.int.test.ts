/**
 * The partner's compliance beyond the site matrix: the dashboard's compliance (partner.compliance and
 * GET /api/partners/me/compliance: per site passing / checked, lowest share first, and the hosts with the most
 * failing controls across sites), and the matrix as CSV (GET …/sites/{id}/compliance.csv: the matrix's
 * filters, citations from the controls table, formula-safe fields, another partner's site refused).
 */
import { afterAll, describe, expect, it } from "vitest";
import * as partnerComplianceRoute from "@/app/api/partners/me/compliance/route";
import * as csvRoute from "@/app/api/partners/me/sites/[siteId]/compliance.csv/route";
import { COMPLIANCE_CONTROLS, PartnerCompliance, type ScanResult } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { authenticateAppliance } from "@/server/domain/appliances/authenticate-appliance";
import { receiveScanResults } from "@/server/domain/compliance/receive-scan-results";
import { closeRedis } from "@/server/redis";
import { callerFor, callRoute, makeApplianceWithKey, makePartner, sessionUser, uniq } from "../support/factories";

afterAll(async () => {
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

const CHECKS = COMPLIANCE_CONTROLS.map((c) => c.check);

/** A site of `partnerId` whose approved servers report the given failing controls (all others pass). */
async function siteWith(partnerId: string, hosts: Record<string, ScanResult["check"][]>) {
  const appliance = await makeApplianceWithKey(partnerId);
  await db().windowsTarget.createMany({
    data: Object.keys(hosts).map((hostname) => ({ siteId: appliance.siteId, hostname, approval: "approved" as const })),
  });
  const principal = await authenticateAppliance(db(), `Bearer ${appliance.apiKey}`);
  await receiveScanResults(db(), principal, {
    appliance_id: appliance.applianceId,
    batch_id: uniq("batch"),
    results: Object.entries(hosts).flatMap(([hostname, failing]) =>
      CHECKS.map(
        (check): ScanResult => ({
          hostname,
          check,
          status: failing.includes(check) ? "fail" : "pass",
          observed: failing.includes(check) ? '=HYPERLINK("x")' : "on",
          expected: "on",
          checked_at: new Date(Date.now() - 60_000).toISOString(),
        }),
      ),
    ),
  });
  return appliance;
}

const get = (mod: { GET: Parameters<typeof callRoute>[0] }, token: string, query = "", params = {}) =>
  callRoute(mod.GET, new Request(`http://x/${query}`, { headers: { authorization: `Bearer ${token}` } }), params);

describe("partner.compliance (the dashboard)", () => {
  it("counts each site's passing controls, lowest share first, and names the worst hosts across sites", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const good = await siteWith(a.partner.id, { "ok1.test": [], "ok2.test": ["rmm"] });
    const bad = await siteWith(a.partner.id, {
      "fs01.test": ["patches", "firewall", "bitlocker"],
      "fs02.test": ["defender"],
    });
    const other = await siteWith(b.partner.id, { "theirs.test": ["firewall", "defender", "patches", "rmm"] });

    const c = await callerFor(sessionUser(a.user)).partner.compliance();
    expect(c.sitesWithResults).toBe(2);
    expect(c.sites.map((s) => s.siteId)).toEqual([bad.siteId, good.siteId]);
    expect(c.sites[0]).toMatchObject({ hosts: 2, checked: 12, passing: 8, failing: 4, passingPercent: 66.7 });
    expect(c.sites[1]).toMatchObject({ hosts: 2, checked: 12, passing: 11, failing: 1, passingPercent: 91.7 });
    expect(c.totals).toEqual({ hosts: 4, checked: 24, passing: 19, failing: 5, passingPercent: 79.2 });
    expect(c.worstOffenders.map((o) => [o.hostname, o.failing])).toEqual([
      ["fs01.test", 3],
      ["fs02.test", 1],
      ["ok2.test", 1],
    ]);
    // In the order of the controls table, and named by the site's client name.
    expect(c.worstOffenders[0]).toMatchObject({
      siteId: bad.siteId,
      failingChecks: ["bitlocker", "firewall", "patches"],
    });
    expect(c.worstOffenders[0]?.clientName).toMatch(/^Clinic /);
    expect(JSON.stringify(c)).not.toContain(other.siteId);

    // REST, with a partner token: the same answer in snake_case.
    const r = await get(partnerComplianceRoute, a.apiToken);
    expect(r.status).toBe(200);
    const rest = PartnerCompliance.parse(await r.json());
    expect(rest.worst_offenders[0]?.hostname).toBe("fs01.test");
    expect(rest.totals.passing).toBe(19);
    expect(JSON.stringify(rest)).not.toContain("theirs.test");
  });

  it("answers empty for a partner without results", async () => {
    const a = await makePartner();
    await makeApplianceWithKey(a.partner.id);
    const c = await callerFor(sessionUser(a.user)).partner.compliance();
    expect(c).toEqual({
      totals: { hosts: 0, checked: 0, passing: 0, failing: 0, passingPercent: null },
      sitesWithResults: 0,
      sites: [],
      worstOffenders: [],
    });
  });
});

describe("GET /api/partners/me/sites/{id}/compliance.csv", () => {
  it("exports the matrix with its filters, citations from the controls table and formula-safe fields", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const s = await siteWith(a.partner.id, { "fs01.test": ["firewall"], "ok1.test": [] });

    const all = await get(csvRoute, a.apiToken, "", { siteId: s.siteId });
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(all.headers.get("content-disposition")).toContain("attachment");
    const lines = (await all.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      '"host","kind","control","citation","status","observed","expected","checked_at","changed_at","error"',
    );
    expect(lines).toHaveLength(1 + 12);
    expect(lines[1]).toMatch(/^"fs01\.test","server","BitLocker","164\.312\(a\)\(2\)\(iv\)","pass","on","on","/);
    // The failing firewall: its citation, and the observed formula defused with an apostrophe.
    const firewall = lines.find((l) => l.startsWith('"fs01.test","server","Firewall",'));
    expect(firewall).toMatch(
      /^"fs01\.test","server","Firewall","164\.312\(e\)\(1\)","fail","'=HYPERLINK\(""x""\)","on","/,
    );

    // Failing only, one control: the failing host's one line.
    const failing = await get(csvRoute, a.apiToken, "?status=fail&check=firewall", { siteId: s.siteId });
    const rows = (await failing.text()).trimEnd().split("\r\n").slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('"fs01.test","server","Firewall"');

    // A bad filter: 400 naming it; another partner: 404 without a line of A's.
    const badQuery = await get(csvRoute, a.apiToken, "?status=maybe", { siteId: s.siteId });
    expect(badQuery.status).toBe(400);
    expect((await badQuery.json()).error).toContain("status");
    const theirs = await get(csvRoute, b.apiToken, "", { siteId: s.siteId });
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).not.toContain("fs01.test");
  });
});
