/**
 * AD coverage on the dashboard (partner.coverage): per site and in total, the computers AD lists now against
 * servers scanned and agents reporting, coverage %, disabled, stale and awaiting-approval counts; only the
 * caller's sites. And the domain credential's metadata says who entered it and when (REST and tRPC).
 */
import { afterAll, describe, expect, it } from "vitest";
import * as coverageRoute from "@/app/api/partners/me/coverage/route";
import { PartnerCoverage } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closeRedis } from "@/server/redis";
import { call, getDomainCredential, postDomainCredential } from "../support/directory";
import { callerFor, makePartner, makeSiteWithAppliance, sessionUser } from "../support/factories";

const ago = (days: number) => new Date(Date.now() - days * 86_400_000);

afterAll(async () => {
  await disconnectDb();
  await closeRedis();
});

async function seed(siteId: string, servers: number, workstations: number) {
  await db().windowsTarget.createMany({
    data: Array.from({ length: servers }, (_, i) => ({
      siteId,
      hostname: `srv${i}.${siteId}.test`,
      approval: i === 0 ? ("awaiting_approval" as const) : ("approved" as const),
      enabled: i !== 1,
      lastLogonAt: ago(1),
    })),
  });
  await db().workstation.createMany({
    data: Array.from({ length: workstations }, (_, i) => ({
      siteId,
      hostname: `ws${i}.${siteId}.test`,
      enabled: i !== 0,
      lastLogonAt: i === 1 ? ago(61) : ago(1),
      // one active agent, one computer gone from AD (not counted anywhere)
      agentStatus: i === 2 ? ("active" as const) : ("pending" as const),
      missingSince: i === 3 ? ago(1) : null,
    })),
  });
}

describe("partner.coverage", () => {
  it("counts servers with a result from the appliance's scan as scanned, as the site page does", async () => {
    const a = await makePartner();
    const site = await makeSiteWithAppliance(a.partner.id);
    await seed(site.siteId, 3, 1);
    const now = new Date();
    await db().complianceLatest.createMany({
      data: ["firewall", "patches"].map((check) => ({
        siteId: site.siteId,
        hostname: `srv2.${site.siteId}.test`,
        check,
        source: "appliance_scan" as const,
        status: "pass" as const,
        observed: "on",
        expected: "on",
        checkedAt: now,
        changedAt: now,
      })),
    });
    const c = await callerFor(sessionUser(a.user)).partner.coverage();
    expect(c.totals).toMatchObject({ serversInAd: 3, serversScanned: 1, agentsReporting: 0 });
    expect(c.sites[0]).toMatchObject({ siteId: site.siteId, serversScanned: 1, coveragePercent: 25 });
  });

  it("counts each site's AD computers against what is monitored, lowest coverage first, and totals them", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const small = await makeSiteWithAppliance(a.partner.id);
    const big = await makeSiteWithAppliance(a.partner.id);
    const empty = await makeSiteWithAppliance(a.partner.id);
    const others = await makeSiteWithAppliance(b.partner.id);
    await seed(small.siteId, 2, 5); // in AD: 2 + 4; 1 agent → 16.7 %
    await seed(big.siteId, 4, 40); // in AD: 4 + 39; 1 agent → 2.3 %
    await seed(others.siteId, 3, 3);

    const c = await callerFor(sessionUser(a.user)).partner.coverage();
    expect(c.sitesWithAd).toBe(2);
    expect(c.sites.map((s) => s.siteId)).toEqual([big.siteId, small.siteId]);
    expect(c.sites.map((s) => s.siteId)).not.toContain(empty.siteId);
    expect(c.sites[1]).toEqual({
      siteId: small.siteId,
      clientName: `Clinic ${small.siteId}`,
      computersInAd: 6,
      serversInAd: 2,
      serversScanned: 0,
      agentsReporting: 1,
      coveragePercent: 16.7,
      disabled: 2,
      stale: 1,
      serversAwaitingApproval: 1,
    });
    expect(c.totals).toEqual({
      computersInAd: 49,
      serversInAd: 6,
      serversScanned: 0,
      agentsReporting: 2,
      coveragePercent: 4.1,
      disabled: 4,
      stale: 2,
      serversAwaitingApproval: 2,
    });
    // The same over REST, in snake_case.
    const rest = await call(coverageRoute.GET, { method: "GET", auth: a.apiToken });
    expect(rest.status).toBe(200);
    const wire = PartnerCoverage.parse(rest.json);
    expect(wire.totals).toMatchObject({ computers_in_ad: 49, coverage_percent: 4.1, servers_awaiting_approval: 2 });
    expect(wire.sites.map((s) => s.site_id)).toEqual([big.siteId, small.siteId]);

    const seenByB = await callerFor(sessionUser(b.user)).partner.coverage();
    expect(seenByB.sites.map((s) => s.siteId)).toEqual([others.siteId]);
    expect(seenByB.totals.computersInAd).toBe(6); // 3 + 3 (none of its 3 workstations is gone)
  });

  it("is all zeros with coverage null for a partner without AD computers", async () => {
    const a = await makePartner();
    await makeSiteWithAppliance(a.partner.id);
    const c = await callerFor(sessionUser(a.user)).partner.coverage();
    expect(c).toEqual({
      totals: {
        computersInAd: 0,
        serversInAd: 0,
        serversScanned: 0,
        agentsReporting: 0,
        coveragePercent: null,
        disabled: 0,
        stale: 0,
        serversAwaitingApproval: 0,
      },
      sitesWithAd: 0,
      sites: [],
    });
  });
});

describe("domain credential metadata: entered by", () => {
  it("names the user who entered it (name, email, when) over REST and tRPC; a token by its name", async () => {
    const a = await makePartner();
    const { siteId } = await makeSiteWithAppliance(a.partner.id);
    const admin = callerFor(sessionUser(a.user));
    const before = Date.now();
    await admin.sites.setDomainCredential({
      siteId,
      credential: { domain: "clinic.test", username: "osiris-scan", password: "Sekrit-entered-by!" },
    });
    const rest = await getDomainCredential(a.apiToken, siteId);
    expect(rest.status).toBe(200);
    expect(rest.text).not.toContain("Sekrit-entered-by!");
    const by = rest.json.entered_by as { actor_type: string; name: string; email: string; at: string };
    expect(by).toMatchObject({ actor_type: "user", name: a.user.name, email: a.user.email });
    expect(Date.parse(by.at)).toBeGreaterThanOrEqual(before - 1000);
    expect((await admin.sites.domainCredential({ siteId })).enteredBy).toMatchObject({
      actorType: "user",
      email: a.user.email,
    });

    // Replaced through the REST API with the partner's (full-scope) token: the token's name.
    const r = await postDomainCredential(a.apiToken, siteId, {
      domain: "clinic.test",
      username: "osiris-scan2",
      password: "Sekrit-entered-by2!",
    });
    expect(r.status).toBe(201);
    const token = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: a.partner.id } });
    expect((await getDomainCredential(a.apiToken, siteId)).json.entered_by).toMatchObject({
      actor_type: "token",
      name: token.name,
      email: null,
    });
  });

  it("is null when the site has no domain credential", async () => {
    const a = await makePartner();
    const { siteId } = await makeSiteWithAppliance(a.partner.id);
    expect((await getDomainCredential(a.apiToken, siteId)).json).toEqual({ credential: null, entered_by: null });
  });
});
