/**
 * Roles on every tRPC mutation: partner admins manage credentials, API tokens, users and appliances;
 * technicians read everything (never a password), create provision codes and request scans, and are
 * refused (FORBIDDEN, with a message saying who can) on everything else. Also the sites.* procedures'
 * tenancy: another partner's site or appliance is NOT_FOUND.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { closeRedis } from "@/server/redis";
import { callerFor, makePartner, makeSiteWithAppliance, makeUser, sessionUser } from "../support/factories";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

const CREDENTIAL = {
  credentialType: "winrm" as const,
  credentialName: "File server",
  host: "fs01.clinic.local",
  username: "svc-osiris",
  password: "Autumn2026!secret",
  domain: "CLINIC",
  useSsl: false,
};

async function setup() {
  const a = await makePartner();
  const tech = await makeUser("partner_technician", a.partner.id);
  const { siteId, appliance } = await makeSiteWithAppliance(a.partner.id);
  const admin = callerFor(sessionUser(a.user));
  const credential = await admin.sites.createCredential({ siteId, credential: CREDENTIAL });
  const token = await admin.apiTokens.create({ name: "ci", scope: "read" });
  return { a, siteId, appliance, credential, token, admin, tech: callerFor(sessionUser(tech)) };
}

const FORBIDDEN = { code: "FORBIDDEN", message: expect.stringMatching(/Only a partner admin/) };

describe("technician role (tRPC)", () => {
  it("may not add, change or delete a credential, and the credential is untouched", async () => {
    const { siteId, credential, tech, admin } = await setup();
    await expect(tech.sites.createCredential({ siteId, credential: CREDENTIAL })).rejects.toMatchObject(FORBIDDEN);
    await expect(
      tech.sites.updateCredential({ siteId, credentialId: credential.id, changes: { credentialName: "Hijacked" } }),
    ).rejects.toMatchObject(FORBIDDEN);
    await expect(tech.sites.deleteCredential({ siteId, credentialId: credential.id })).rejects.toMatchObject(FORBIDDEN);
    const after = await admin.sites.get({ siteId });
    expect(after.credentials.map((c) => [c.id, c.credentialName])).toEqual([[credential.id, "File server"]]);
  });

  it("may not list, create or revoke API tokens, and the token stays live", async () => {
    const { token, tech, admin } = await setup();
    await expect(tech.apiTokens.list()).rejects.toMatchObject(FORBIDDEN);
    await expect(tech.apiTokens.create({ name: "mine", scope: "full" })).rejects.toMatchObject(FORBIDDEN);
    await expect(tech.apiTokens.revoke({ id: token.id })).rejects.toMatchObject(FORBIDDEN);
    const list = await admin.apiTokens.list();
    expect(list.find((t) => t.id === token.id)?.revokedAt).toBeNull();
    expect(list.map((t) => t.name)).not.toContain("mine");
  });

  it("may not enter the domain credential or approve servers; may read targets, coverage and the credential's metadata", async () => {
    const { siteId, tech, admin } = await setup();
    const domain = { domain: "clinic.local", username: "osiris", password: "Domain!secret" };
    await expect(tech.sites.setDomainCredential({ siteId, credential: domain })).rejects.toMatchObject(FORBIDDEN);
    await expect(tech.sites.approveTargets({ siteId, all: true })).rejects.toMatchObject(FORBIDDEN);
    expect((await tech.sites.domainCredential({ siteId })).credential).toBeNull();
    const entered = await admin.sites.setDomainCredential({ siteId, credential: domain });
    expect(JSON.stringify(entered)).not.toContain(domain.password);
    const seen = await tech.sites.domainCredential({ siteId });
    expect(seen.credential).toMatchObject({
      id: entered.id,
      credentialType: "domain_admin",
      domain: "clinic.local",
      caPem: null,
      firstRunId: null,
    });
    expect(JSON.stringify(seen)).not.toContain(domain.password);
    expect(await tech.sites.targets({ siteId })).toEqual({
      servers: [
        expect.objectContaining({ provenance: ["manual"], approval: "manual", credentialId: expect.any(String) }),
      ],
      workstations: [],
      serversPage: { page: 1, pageSize: 25, total: 1 },
      workstationsPage: { page: 1, pageSize: 25, total: 0 },
      serversAwaitingApproval: 0,
    });
    expect((await tech.sites.coverage({ siteId })).computersInAd).toBe(0);
    expect(await admin.sites.approveTargets({ siteId, all: true })).toEqual({ approved: 0 });
  });

  it("may not invite, re-issue links for, promote or remove users, and the team is unchanged", async () => {
    const { a, tech, admin } = await setup();
    const me = (await admin.users.list()).users.find((u) => u.role === "partner_technician");
    if (!me) throw new Error("no technician listed");
    await expect(
      tech.users.invite({ email: "friend@example.test", name: "Friend", role: "partner_admin" }),
    ).rejects.toMatchObject(FORBIDDEN);
    await expect(tech.users.reissueInvite({ userId: a.user.id })).rejects.toMatchObject(FORBIDDEN);
    // Not even themselves: a technician cannot make themselves an admin.
    await expect(tech.users.changeRole({ userId: me.id, role: "partner_admin" })).rejects.toMatchObject(FORBIDDEN);
    await expect(tech.users.remove({ userId: a.user.id })).rejects.toMatchObject(FORBIDDEN);
    const team = await tech.users.list();
    expect(team.users.map((u) => [u.email, u.role]).sort()).toEqual(
      [
        [a.email, "partner_admin"],
        [me.email, "partner_technician"],
      ].sort(),
    );
  });

  it("may not revoke an appliance, which keeps working", async () => {
    const { appliance, tech } = await setup();
    await expect(tech.sites.revokeAppliance({ applianceId: appliance.id })).rejects.toMatchObject(FORBIDDEN);
    const row = await db().appliance.findUniqueOrThrow({ where: { id: appliance.id } });
    expect(row.revokedAt).toBeNull();
  });

  it("sees the site and its credentials (never a password), creates provision codes and requests scans", async () => {
    const { siteId, appliance, tech } = await setup();
    const site = await tech.sites.get({ siteId });
    expect(site.credentials.map((c) => c.credentialName)).toEqual(["File server"]);
    expect(JSON.stringify(site)).not.toContain(CREDENTIAL.password);
    expect((await tech.sites.list()).map((s) => s.id)).toEqual([siteId]);

    const code = await tech.provisionCodes.create({ clientName: "Tech Clinic", siteId });
    expect(code.code).toMatch(/^[A-Z0-9]{16}$/);

    expect(await tech.sites.requestScan({ siteId })).toEqual({ appliances: 1 });
    const flags = await db().applianceTrigger.findMany({ where: { applianceId: appliance.id } });
    expect(flags.map((f) => [f.kind, f.state])).toEqual([["immediate_scan", "pending"]]);
  });
});

describe("partner admin role (tRPC)", () => {
  it("changes and deletes credentials", async () => {
    const { siteId, credential, admin } = await setup();
    const updated = await admin.sites.updateCredential({
      siteId,
      credentialId: credential.id,
      changes: { credentialName: "Renamed" },
    });
    expect(updated.credentialName).toBe("Renamed");
    await admin.sites.deleteCredential({ siteId, credentialId: credential.id });
    expect((await admin.sites.get({ siteId })).credentials).toEqual([]);
  });
});

describe("sites.* tenancy", () => {
  it("answers NOT_FOUND for another partner's site or appliance on every sites procedure", async () => {
    const { siteId, appliance, credential, admin } = await setup();
    const b = await makePartner();
    const other = callerFor(sessionUser(b.user));
    const notFound = { code: "NOT_FOUND" };
    await expect(other.sites.get({ siteId })).rejects.toMatchObject(notFound);
    await expect(other.sites.requestScan({ siteId })).rejects.toMatchObject(notFound);
    await expect(other.sites.createCredential({ siteId, credential: CREDENTIAL })).rejects.toMatchObject(notFound);
    await expect(
      other.sites.updateCredential({ siteId, credentialId: credential.id, changes: { credentialName: "x" } }),
    ).rejects.toMatchObject(notFound);
    await expect(other.sites.deleteCredential({ siteId, credentialId: credential.id })).rejects.toMatchObject(notFound);
    await expect(other.sites.revokeAppliance({ applianceId: appliance.id })).rejects.toMatchObject(notFound);
    expect(await other.sites.list()).toEqual([]);

    // Nothing changed for the owner.
    const site = await admin.sites.get({ siteId });
    expect(site.credentials.map((c) => c.credentialName)).toEqual(["File server"]);
    expect(site.appliances.map((x) => x.revokedAt)).toEqual([null]);
    expect(await db().applianceTrigger.count({ where: { applianceId: appliance.id } })).toBe(0);
  });

  it("refuses a credential id of another site of the same partner", async () => {
    const { a, credential, admin } = await setup();
    const second = await makeSiteWithAppliance(a.partner.id);
    await expect(
      admin.sites.deleteCredential({ siteId: second.siteId, credentialId: credential.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
