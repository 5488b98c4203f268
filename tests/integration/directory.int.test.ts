/**
 * Zero-friction Active Directory, server side, against the real PostgreSQL: domain discovery, the ONE domain
 * credential (entered, sealed to the appliance, audited), enumeration results stored and merged by the real
 * processors (set-based, idempotent), approval of later servers, manual targets surviving, "not seen",
 * workstations, coverage and the notification feed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import * as discoveryFailedRoute from "@/app/api/appliances/domain-discovery-failed/route";
import * as enumerationFailedRoute from "@/app/api/appliances/enumeration-failed/route";
import { POST as authPOST } from "@/app/api/auth/[...all]/route";
import * as notificationsRoute from "@/app/api/partners/me/notifications/route";
import * as coverageRoute from "@/app/api/partners/me/sites/[siteId]/coverage/route";
import * as approveRoute from "@/app/api/partners/me/sites/[siteId]/targets/approve/route";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { unsealSecret } from "@/appliance/src/crypto/sealed-box";
import {
  CheckinResponse,
  DomainCredentialRelease,
  domainCredentialBinding,
  NotificationList,
  SiteCoverage,
} from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { deliverTriggers } from "@/server/domain/checkin/triggers";
import { createSiteCredential } from "@/server/domain/credentials/site-credentials";
import { mergeEnumerationRun } from "@/server/domain/directory/merge-enumeration-run";
import { notifyPartner } from "@/server/domain/notifications/notify-partner";
import { mintPartnerToken } from "@/server/domain/tokens/mint-partner-token";
import { runOutboxJob } from "@/server/jobs/outbox/run-outbox-job";
import { closeQueues } from "@/server/jobs/queues";
import { closeRedis } from "@/server/redis";
import { outboxHandlers } from "@/workers/processors";
import {
  allTargets,
  call,
  computer,
  drainSite,
  getDomainCredential,
  jobFor,
  postDiscovered,
  postDomainCredential,
  postResults,
  workstation,
} from "../support/directory";
import { callerFor, makeApplianceWithKey, makePartner, makeUser, PASSWORD, sessionUser } from "../support/factories";
import { testEnv } from "../support/test-env";

const DOMAIN = "clinic.test";
const PASSWORD_AD = "Dom@in-Adm1n!2027";

afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closeQueues();
  await closePgPool();
  await disconnectDb();
});

/** A partner with one site and one appliance (with a sealing key), and the domain discovered. */
async function site(opts: { publicKey?: boolean; discover?: boolean } = {}) {
  const keys = deriveApplianceKeys(generateRootSecret());
  const partner = await makePartner();
  const appliance = await makeApplianceWithKey(partner.partner.id, {
    publicKey: opts.publicKey === false ? undefined : keys.keyPair.publicKeyBase64,
  });
  if (opts.discover !== false) {
    const r = await postDiscovered(appliance.apiKey, {
      appliance_id: appliance.applianceId,
      domain: DOMAIN,
      netbios_name: "CLINIC",
      domain_controllers: [{ hostname: "dc01.clinic.test", port: 389, priority: 0, weight: 100 }],
    });
    expect(r.status).toBe(200);
  }
  return { partner, ...appliance, keys };
}

type Site = Awaited<ReturnType<typeof site>>;

async function enterCredential(s: Site, extra: Record<string, unknown> = {}) {
  const r = await postDomainCredential(s.partner.apiToken, s.siteId, {
    domain: DOMAIN,
    username: "osiris-scan",
    password: PASSWORD_AD,
    ...extra,
  });
  expect(r.status).toBe(201);
  await drainSite(s.siteId);
  return r.json as { id: string };
}

function results(s: Site, servers: unknown[], workstations: unknown[], extra: Record<string, unknown> = {}) {
  return {
    appliance_id: s.applianceId,
    domain: DOMAIN,
    servers,
    workstations,
    enumerated_at: new Date().toISOString(),
    ...extra,
  };
}

async function enumerate(s: Site, servers: unknown[], workstations: unknown[], extra: Record<string, unknown> = {}) {
  const r = await postResults(s.apiKey, results(s, servers, workstations, extra));
  expect(r.status).toBe(202);
  await drainSite(s.siteId);
  return r.json as { job_id: string; run_id: string };
}

async function targets(s: Site) {
  const all = await allTargets(s.partner.apiToken, s.siteId);
  for (const text of all.texts) expect(text).not.toContain(PASSWORD_AD);
  return all;
}

async function feed(token: string) {
  const r = await call(notificationsRoute.GET, { method: "GET", auth: token });
  expect(r.status).toBe(200);
  return NotificationList.parse(r.json).notifications;
}

async function signIn(email: string): Promise<string> {
  const res = await authPOST(
    new Request(`${testEnv.PUBLIC_URL}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: testEnv.PUBLIC_URL },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("osiris.session_token="));
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie.split(";")[0] ?? "";
}

describe("domain discovery", () => {
  it("records a domain once per site, updates it on re-discovery, and notifies the partner once", async () => {
    const s = await site();
    const again = await postDiscovered(s.apiKey, {
      appliance_id: s.applianceId,
      domain: "CLINIC.test",
      domain_controllers: [
        { hostname: "dc02.clinic.test", port: 389, priority: 10, weight: 0 },
        { hostname: "dc01.clinic.test", port: 389, priority: 0, weight: 50 },
      ],
      discovered_at: "2026-12-01T10:00:00Z",
    });
    expect(again.status).toBe(200);
    expect(again.json.new_domain).toBe(false);
    const rows = await db().discoveredDomain.findMany({ where: { siteId: s.siteId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.domainName).toBe(DOMAIN);
    expect(rows[0]?.netbiosName).toBe("CLINIC"); // kept from the first report
    // RFC 2782 order: priority first.
    expect(((rows[0]?.controllers ?? []) as Array<{ hostname: string }>).map((c) => c.hostname)).toEqual([
      "dc01.clinic.test",
      "dc02.clinic.test",
    ]);
    // An older discovered_at does not move the time back; the server's time was used the first time.
    expect(rows[0]?.discoveredAt.getTime()).toBeGreaterThan(Date.parse("2026-12-01T10:00:00Z"));

    const notes = (await feed(s.partner.apiToken)).filter((n) => n.type === "domain_discovered");
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message).toContain(DOMAIN);
    expect(notes[0]?.site_id).toBe(s.siteId);
    expect(notes[0]?.action_url).toBe(`/sites/${s.siteId}#domain-credential`);
    expect(notes[0]?.read).toBe(false);
  });

  it("refuses another appliance's id (403), a malformed body (400) and no key (401)", async () => {
    const a = await site({ discover: false });
    const b = await site({ discover: false });
    const body = { appliance_id: a.applianceId, domain: DOMAIN, domain_controllers: [] };
    expect((await postDiscovered(b.apiKey, body)).status).toBe(403);
    const bad = await postDiscovered(a.apiKey, { appliance_id: a.applianceId, domain: "not a domain!" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/domain/);
    expect((await postDiscovered("", body)).status).toBe(401);
    expect(await db().discoveredDomain.count({ where: { siteId: { in: [a.siteId, b.siteId] } } })).toBe(0);
  });

  it("keeps a failed discovery for the site page, notifies when it starts failing, and clears it on success", async () => {
    const s = await site({ discover: false });
    const report = {
      appliance_id: s.applianceId,
      searched: ["clinic.test", "_ldap._tcp.dc._msdcs.clinic.test"],
      error: "no SRV records",
    };
    for (let i = 0; i < 2; i++)
      expect((await call(discoveryFailedRoute.POST, { auth: s.apiKey, body: report })).status).toBe(200);
    const a = await db().appliance.findUniqueOrThrow({ where: { id: s.applianceId } });
    expect(a.discoverySearched).toEqual(report.searched);
    expect(a.discoveryError).toBe("no SRV records");
    const notes = (await feed(s.partner.apiToken)).filter((n) => n.type === "domain_discovery_failed");
    expect(notes).toHaveLength(1);
    expect(notes[0]?.detail).toContain("_ldap._tcp.dc._msdcs.clinic.test");
    // The site page (tRPC sites.get) has what it needs to say "no domain found: searched X, Y".
    const page = await callerFor(sessionUser(s.partner.user)).sites.get({ siteId: s.siteId });
    expect(page.directory.discoveryFailures).toEqual([
      expect.objectContaining({ applianceId: s.applianceId, searched: report.searched, error: "no SRV records" }),
    ]);
    await postDiscovered(s.apiKey, { appliance_id: s.applianceId, domain: DOMAIN, domain_controllers: [] });
    expect((await db().appliance.findUniqueOrThrow({ where: { id: s.applianceId } })).discoveryError).toBeNull();
    const after = await callerFor(sessionUser(s.partner.user)).sites.get({ siteId: s.siteId });
    expect(after.directory.discoveryFailures).toEqual([]);
    expect(after.directory.domains.map((d) => d.domain)).toEqual([DOMAIN]);
  });
});

describe("the domain credential", () => {
  it("is stored encrypted as the site's one domain_admin credential, answers 201 without the password, and asks the appliances to enumerate", async () => {
    const s = await site();
    const r = await postDomainCredential(s.partner.apiToken, s.siteId, {
      domain: DOMAIN,
      username: "osiris-scan",
      password: PASSWORD_AD,
    });
    expect(r.status).toBe(201);
    expect(r.text).not.toContain(PASSWORD_AD);
    expect(r.json).toMatchObject({ credential_type: "domain_admin", domain: DOMAIN, username: "osiris-scan" });
    const row = await db().siteCredential.findUniqueOrThrow({ where: { id: r.json.id as string } });
    expect(Buffer.from(row.encryptedData).toString("latin1")).not.toContain(PASSWORD_AD);
    // The outbox row is in; the flag comes from the worker's processor.
    expect(await db().applianceTrigger.count({ where: { applianceId: s.applianceId } })).toBe(0);
    await drainSite(s.siteId);
    expect([...(await deliverTriggers(db(), s.applianceId))]).toEqual(["enumeration"]);
    const audit = await db().auditEvent.findFirst({ where: { siteId: s.siteId, action: "domain_credential.created" } });
    expect(JSON.stringify(audit?.metadata)).not.toContain(PASSWORD_AD);

    // A second entry replaces the first.
    const second = await postDomainCredential(s.partner.apiToken, s.siteId, {
      domain: DOMAIN,
      username: "osiris-scan2",
      password: "another",
    });
    expect(second.status).toBe(201);
    const creds = await db().siteCredential.findMany({ where: { siteId: s.siteId, credentialType: "domain_admin" } });
    expect(creds.map((c) => c.username)).toEqual(["osiris-scan2"]);
  });

  it("accepts a CA as PEM and refuses anything else (400)", async () => {
    const s = await site();
    const pem = `-----BEGIN CERTIFICATE-----\n${"QUJD".repeat(16)}\n${"QUJD".repeat(4)}\n-----END CERTIFICATE-----\n`;
    const ok = await postDomainCredential(s.partner.apiToken, s.siteId, {
      domain: DOMAIN,
      username: "u",
      password: "p",
      ca_pem: pem,
    });
    expect(ok.status).toBe(201);
    expect(ok.json.ca_pem).toBe(pem);
    const bad = await postDomainCredential(s.partner.apiToken, s.siteId, {
      domain: DOMAIN,
      username: "u",
      password: "p",
      ca_pem: "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----",
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/ca_pem.*PEM/);
    expect((await postDomainCredential(s.partner.apiToken, s.siteId, { domain: DOMAIN, username: "u" })).status).toBe(
      400,
    );
  });

  it("is entered by partner admins only: a read token and a technician get 403, an admin's session 201", async () => {
    const s = await site();
    const body = { domain: DOMAIN, username: "u", password: "p" };
    const read = await db().$transaction((tx) =>
      mintPartnerToken(tx, s.partner.partner.id, { name: "r", scope: "read" }),
    );
    const byRead = await postDomainCredential(read.token, s.siteId, body);
    expect(byRead.status).toBe(403);
    expect(byRead.json.error).toMatch(/read-only/);

    const tech = await makeUser("partner_technician", s.partner.partner.id);
    const techCookie = await signIn(tech.email);
    const byTech = await postDomainCredential("", s.siteId, body, { cookie: techCookie });
    expect(byTech.status).toBe(403);
    expect(byTech.json.error).toMatch(/Only a partner admin/);
    // A technician may read the metadata.
    expect((await getDomainCredential(undefined, s.siteId, { cookie: techCookie })).status).toBe(200);

    const adminCookie = await signIn(s.partner.email);
    // A cookie-authenticated change from another origin is refused (CSRF).
    expect(
      (await postDomainCredential("", s.siteId, body, { cookie: adminCookie, origin: "https://evil.example" })).status,
    ).toBe(403);
    const byAdmin = await postDomainCredential("", s.siteId, body, { cookie: adminCookie, origin: testEnv.PUBLIC_URL });
    expect(byAdmin.status).toBe(201);
    const audit = await db().auditEvent.findFirst({
      where: { siteId: s.siteId, action: "domain_credential.created" },
    });
    expect(audit).toMatchObject({ actorType: "user", actorId: s.partner.user.id });
    expect(await db().siteCredential.count({ where: { siteId: s.siteId, credentialType: "domain_admin" } })).toBe(1);
    expect((await postDomainCredential("", s.siteId, body)).status).toBe(401);
  });

  it("goes to the site's appliance sealed to its key, bound to appliance, credential, domain and username, and audited", async () => {
    const s = await site();
    const cred = await enterCredential(s);
    const r = await getDomainCredential(s.apiKey, s.siteId);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(PASSWORD_AD);
    const release = DomainCredentialRelease.parse(r.json);
    expect(release).toMatchObject({ credential_id: cred.id, domain: DOMAIN, username: "osiris-scan" });
    expect(release.password).toBeUndefined();
    const binding = domainCredentialBinding({
      applianceId: s.applianceId,
      credentialId: cred.id,
      domain: DOMAIN,
      username: "osiris-scan",
    });
    const priv = s.keys.keyPair.privateKey;
    expect(unsealSecret(release.sealed_password ?? "", priv, binding)).toBe(PASSWORD_AD);
    expect(() => unsealSecret(release.sealed_password ?? "", priv, { ...binding, credentialId: "another" })).toThrow();
    expect(() => unsealSecret(release.sealed_password ?? "", priv, { ...binding, applianceId: "another" })).toThrow();
    expect(() => unsealSecret(release.sealed_password ?? "", priv, { ...binding, hostname: "evil.test" })).toThrow();
    const stranger = deriveApplianceKeys(generateRootSecret()).keyPair.privateKey;
    expect(() => unsealSecret(release.sealed_password ?? "", stranger, binding)).toThrow();

    const log = await db().credentialAccess.findMany({ where: { applianceId: s.applianceId, credentialId: cred.id } });
    expect(log.map((l) => l.count)).toEqual([1]);
  });

  it("gives a keyless client the seed's plain password, partners metadata only, and others nothing", async () => {
    const s = await site({ publicKey: false });
    const other = await site();
    const cred = await enterCredential(s);
    const plain = DomainCredentialRelease.parse((await getDomainCredential(s.apiKey, s.siteId)).json);
    expect(plain.password).toBe(PASSWORD_AD);

    const meta = await getDomainCredential(s.partner.apiToken, s.siteId);
    expect(meta.status).toBe(200);
    expect(meta.text).not.toContain(PASSWORD_AD);
    expect((meta.json.credential as { id: string }).id).toBe(cred.id);

    expect((await getDomainCredential(other.apiKey, s.siteId)).status).toBe(404); // another site's appliance
    expect((await getDomainCredential(other.partner.apiToken, s.siteId)).status).toBe(404); // another partner
    expect((await getDomainCredential(undefined, s.siteId)).status).toBe(401);
    expect((await getDomainCredential(other.apiKey, other.siteId)).status).toBe(404); // none entered yet
    expect(await db().credentialAccess.count({ where: { applianceId: other.applianceId } })).toBe(0);
  });
});

describe("enumeration results and the merge", () => {
  const dc = () => computer("dc01.clinic.test", { is_domain_controller: true, winrm_reachable: true });
  const fs = () => computer("FS01.clinic.test", { winrm_reachable: false });

  it("stores the run, answers 202 with a deterministic job id, and merges servers, DCs and workstations", async () => {
    const s = await site();
    const cred = await enterCredential(s);
    await deliverTriggers(db(), s.applianceId); // the appliance took trigger_enumeration
    const r = await postResults(s.apiKey, results(s, [dc(), fs()], [workstation("ws01.clinic.test")]));
    expect(r.status).toBe(202);
    expect(r.json.job_id).toBe(
      `enum__${s.applianceId.replaceAll(":", "")}__${(await db().enumerationRun.findUniqueOrThrow({ where: { id: r.json.run_id as string } })).runKey}`,
    );
    expect(r.json.job_id).not.toContain(":");
    const outbox = await db().outboxEntry.findFirstOrThrow({
      where: { kind: "enumeration.merge", jobId: r.json.job_id as string },
    });
    expect(outbox.payload).toEqual({ runId: r.json.run_id }); // only the run id goes to Redis
    // The delivered enumeration flag is done.
    expect(
      await db().applianceTrigger.count({
        where: { applianceId: s.applianceId, kind: "enumeration", state: "completed" },
      }),
    ).toBe(1);

    await drainSite(s.siteId);
    const t = await targets(s);
    expect(t.servers.map((x) => x.hostname)).toEqual(["dc01.clinic.test", "fs01.clinic.test"]);
    for (const server of t.servers) {
      expect(server).toMatchObject({ provenance: ["discovered"], approval: "approved", credential_id: cred.id });
    }
    expect(t.servers[0]).toMatchObject({ is_domain_controller: true, winrm_reachable: true });
    expect(t.servers[1]?.winrm_reachable).toBe(false); // a server whether or not WinRM answered
    expect(t.workstations).toMatchObject([{ hostname: "ws01.clinic.test", agent_status: "pending" }]);
    expect(await db().windowsTarget.count({ where: { siteId: s.siteId, hostname: "ws01.clinic.test" } })).toBe(0);

    const notes = await feed(s.partner.apiToken);
    expect(notes[0]?.type).toBe("enumeration_complete");
    expect(notes[0]?.message).toBe("Enumeration complete: 2 servers, 1 workstation");
    expect([...(await deliverTriggers(db(), s.applianceId))]).toEqual(["immediate_scan"]);
    expect((await db().enumerationRun.findUniqueOrThrow({ where: { id: r.json.run_id as string } })).status).toBe(
      "merged",
    );
  });

  it("hands approved servers to the appliance at check-in with the domain credential, sealed per host; never those awaiting approval", async () => {
    const s = await site();
    const cred = await enterCredential(s);
    await createSiteCredential(
      db(),
      s.partner.partner.id,
      s.siteId,
      {
        credential_type: "winrm",
        credential_name: "FS01",
        host: "fs01.clinic.test",
        username: "local",
        password: "manual!",
      },
      { actorType: "system" },
    );
    await enumerate(s, [dc(), fs(), computer("off.clinic.test", { enabled: false })], []);
    await enumerate(s, [dc(), fs(), computer("off.clinic.test", { enabled: false }), computer("new.clinic.test")], []);
    const res = await call(checkinRoute.POST, { auth: s.apiKey, body: { appliance_id: s.applianceId } });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(PASSWORD_AD);
    const wire = CheckinResponse.parse(res.json).windows_targets;
    // fs01 once, with its manual credential; the disabled computer and the new one awaiting approval: absent.
    expect(wire.map((t) => [t.hostname, t.credential_id])).toEqual([
      ["fs01.clinic.test", expect.not.stringMatching(cred.id)],
      ["dc01.clinic.test", cred.id],
    ]);
    const dcTarget = wire[1];
    const binding = {
      applianceId: s.applianceId,
      credentialId: cred.id,
      hostname: "dc01.clinic.test",
      username: "CLINIC\\osiris-scan",
    };
    expect(dcTarget?.username).toBe(binding.username);
    expect(unsealSecret(dcTarget?.sealed_password ?? "", s.keys.keyPair.privateKey, binding)).toBe(PASSWORD_AD);
    const log = await db().credentialAccess.findMany({ where: { applianceId: s.applianceId, credentialId: cred.id } });
    expect(log.map((l) => l.count)).toEqual([1]);
  });

  it("is idempotent: the same results again make the same job and change nothing; a job run twice is skipped", async () => {
    const s = await site();
    await enterCredential(s);
    const body = results(s, [dc(), fs()], [workstation("ws01.clinic.test")]);
    const first = await postResults(s.apiKey, body);
    await drainSite(s.siteId);
    const snapshot = async () => ({
      targets: await db().windowsTarget.findMany({ where: { siteId: s.siteId }, orderBy: { hostname: "asc" } }),
      ws: await db().workstation.findMany({ where: { siteId: s.siteId }, orderBy: { hostname: "asc" } }),
      notes: await db().notification.count({ where: { siteId: s.siteId } }),
      triggers: await db().applianceTrigger.count({ where: { applianceId: s.applianceId } }),
      runs: await db().enumerationRun.count({ where: { siteId: s.siteId } }),
    });
    const before = await snapshot();
    const second = await postResults(s.apiKey, body);
    expect(second.status).toBe(202);
    expect(second.json).toMatchObject({ job_id: first.json.job_id, run_id: first.json.run_id, run_status: "merged" });
    await drainSite(s.siteId);
    const row = await db().outboxEntry.findFirstOrThrow({
      where: { kind: "enumeration.merge", jobId: first.json.job_id as string },
    });
    expect((await runOutboxJob(db(), jobFor(row), outboxHandlers)).skipped).toBe("completed");
    expect(await snapshot()).toEqual(before);

    // The merge itself changes nothing twice, even when asked to merge the same computers again.
    await db().enumerationRun.update({ where: { id: first.json.run_id as string }, data: { status: "queued" } });
    await db().enumerationChunk.create({
      data: {
        runId: first.json.run_id as string,
        chunk: 0,
        servers: (body.servers as Array<{ hostname: string }>).map((c) => ({
          ...c,
          hostname: c.hostname.toLowerCase(),
        })),
        workstations: JSON.parse(JSON.stringify(body.workstations)),
      },
    });
    const again = await db().$transaction((tx) => mergeEnumerationRun(tx, first.json.run_id as string));
    expect(again).toMatchObject({ servers: 2, workstations: 1, newServers: 0, awaiting: 0 });
    expect((await snapshot()).targets).toEqual(before.targets);
    expect((await snapshot()).ws).toEqual(before.ws);
  });

  it("holds servers new in a later enumeration for approval, alerts, and gives them the credential once approved", async () => {
    const s = await site();
    const cred = await enterCredential(s);
    await enumerate(s, [dc(), fs()], []);
    await enumerate(
      s,
      [dc(), fs(), computer("sql01.clinic.test"), computer("planted.clinic.test"), computer("app01.clinic.test")],
      [],
    );
    let t = await targets(s);
    const awaiting = t.servers.filter((x) => x.approval === "awaiting_approval");
    expect(awaiting.map((x) => x.hostname)).toEqual(["app01.clinic.test", "planted.clinic.test", "sql01.clinic.test"]);
    for (const x of awaiting) expect(x.credential_id).toBeNull();
    const alert = (await feed(s.partner.apiToken)).find((n) => n.type === "new_servers_found");
    expect(alert?.message).toBe("3 new servers found in AD");
    expect(alert?.detail).toContain("planted.clinic.test");

    // A technician cannot approve; a read token cannot either.
    const read = await db().$transaction((tx) =>
      mintPartnerToken(tx, s.partner.partner.id, { name: "r", scope: "read" }),
    );
    const sql = awaiting.find((x) => x.hostname === "sql01.clinic.test");
    expect(
      (
        await call(approveRoute.POST, {
          auth: read.token,
          params: { siteId: s.siteId },
          body: { target_ids: [sql?.id] },
        })
      ).status,
    ).toBe(403);
    const one = await call(approveRoute.POST, {
      auth: s.partner.apiToken,
      params: { siteId: s.siteId },
      body: { target_ids: [sql?.id] },
    });
    expect(one.json).toEqual({ approved: 1 });
    t = await targets(s);
    expect(t.servers.find((x) => x.hostname === "sql01.clinic.test")).toMatchObject({
      approval: "approved",
      credential_id: cred.id,
    });
    expect(t.servers.filter((x) => x.approval === "awaiting_approval")).toHaveLength(2);
    const all = await call(approveRoute.POST, {
      auth: s.partner.apiToken,
      params: { siteId: s.siteId },
      body: { all: true },
    });
    expect(all.json).toEqual({ approved: 2 });
    expect((await targets(s)).servers.every((x) => x.approval === "approved" && x.credential_id === cred.id)).toBe(
      true,
    );
    expect(
      (await call(approveRoute.POST, { auth: s.partner.apiToken, params: { siteId: s.siteId }, body: {} })).status,
    ).toBe(400);

    // A fresh credential: the next run's servers are approved at once again.
    const fresh = await enterCredential(s, { username: "osiris-scan-2" });
    await enumerate(s, [dc(), fs(), computer("new02.clinic.test")], []);
    t = await targets(s);
    expect(t.servers.every((x) => x.approval === "approved" && x.credential_id === fresh.id)).toBe(true);
  });

  it("never overwrites or removes a manual target: a host that is both keeps its manual settings and both provenances", async () => {
    const s = await site();
    const domainCred = await enterCredential(s);
    const manual = await createSiteCredential(
      db(),
      s.partner.partner.id,
      s.siteId,
      {
        // A domain admin account entered by hand for one host is a manual target, not the site's domain credential.
        credential_type: "domain_admin",
        credential_name: "FS01 by hand",
        host: "fs01.clinic.test",
        username: "local-svc",
        password: "manual!",
        use_ssl: true,
      },
      { actorType: "system" },
    );
    const manualOnly = await createSiteCredential(
      db(),
      s.partner.partner.id,
      s.siteId,
      { credential_type: "winrm", credential_name: "NAS", host: "nas.clinic.test", username: "u", password: "p" },
      { actorType: "system" },
    );
    const before = await db().siteCredential.findUniqueOrThrow({ where: { id: manual.id } });
    await enumerate(s, [dc()], []);
    // fs01 appears in a later run: it is a manual target, so it is not held for approval.
    await enumerate(s, [dc(), fs()], []);
    let t = await targets(s);
    expect(t.servers.find((x) => x.hostname === "fs01.clinic.test")).toMatchObject({
      provenance: ["manual", "discovered"],
      approval: "manual",
      credential_id: manual.id,
      use_ssl: true,
      port: 5986,
    });
    expect(t.servers.find((x) => x.hostname === "nas.clinic.test")).toMatchObject({
      provenance: ["manual"],
      credential_id: manualOnly.id,
    });
    expect((await feed(s.partner.apiToken)).some((n) => n.type === "new_servers_found")).toBe(false);

    // Gone from AD: not seen since …, and the manual target is untouched.
    await enumerate(s, [dc()], []);
    t = await targets(s);
    const fs01 = t.servers.find((x) => x.hostname === "fs01.clinic.test");
    expect(fs01?.not_seen_since).not.toBeNull();
    expect(fs01?.provenance).toEqual(["manual", "discovered"]);
    expect(await db().siteCredential.findUniqueOrThrow({ where: { id: manual.id } })).toEqual(before);
    const meta = await getDomainCredential(s.partner.apiToken, s.siteId);
    expect((meta.json.credential as { id: string }).id).toBe(domainCred.id);
    expect(t.servers.find((x) => x.hostname === "nas.clinic.test")).toBeDefined();
  });

  it("marks computers gone from AD 'not seen since', never deletes them, and sees them again when they return; a partial run marks nothing", async () => {
    const s = await site();
    await enterCredential(s);
    await enumerate(s, [dc(), fs()], [workstation("ws01.clinic.test"), workstation("ws02.clinic.test")]);
    await enumerate(s, [dc()], [workstation("ws01.clinic.test")], { partial: true });
    let t = await targets(s);
    expect(t.servers.every((x) => x.not_seen_since === null)).toBe(true);
    expect(t.workstations.every((x) => x.not_seen_since === null)).toBe(true);

    const gone = await enumerate(s, [dc()], [workstation("ws01.clinic.test")]);
    const run = await db().enumerationRun.findUniqueOrThrow({ where: { id: gone.run_id } });
    t = await targets(s);
    expect(t.servers.find((x) => x.hostname === "fs01.clinic.test")?.not_seen_since).toBe(
      run.enumeratedAt?.toISOString(),
    );
    expect(t.workstations.find((x) => x.hostname === "ws02.clinic.test")?.not_seen_since).toBe(
      run.enumeratedAt?.toISOString(),
    );
    expect(t.servers).toHaveLength(2);
    expect(t.workstations).toHaveLength(2);
    const cov = SiteCoverage.parse(
      (await call(coverageRoute.GET, { method: "GET", auth: s.partner.apiToken, params: { siteId: s.siteId } })).json,
    );
    expect(cov.not_seen.map((c) => c.hostname).sort()).toEqual(["fs01.clinic.test", "ws02.clinic.test"]);
    expect(cov.computers_in_ad).toBe(2);

    await enumerate(s, [dc(), fs()], [workstation("ws01.clinic.test"), workstation("ws02.clinic.test")]);
    t = await targets(s);
    expect([...t.servers, ...t.workstations].every((x) => x.not_seen_since === null)).toBe(true);
    // Back, it is not "new": it keeps its approval.
    expect(t.servers.find((x) => x.hostname === "fs01.clinic.test")?.approval).toBe("approved");
  });

  it("takes a whole run of 10,000 computers (2.4 MB) in one post, as the seed's clients send it", async () => {
    const s = await site();
    await enterCredential(s);
    const body = results(
      s,
      Array.from({ length: 500 }, (_, i) => computer(`srv${i}.clinic.test`)),
      Array.from({ length: 9_500 }, (_, i) => workstation(`ws${i}.clinic.test`)),
    );
    expect(JSON.stringify(body).length).toBeGreaterThan(2 * 1024 * 1024);
    const r = await postResults(s.apiKey, body);
    expect(r.status).toBe(202);
    expect(r.json.run_status).toBe("queued");
    await drainSite(s.siteId);
    expect(await db().windowsTarget.count({ where: { siteId: s.siteId, approval: "approved" } })).toBe(500);
    expect(await db().workstation.count({ where: { siteId: s.siteId, agentStatus: "pending" } })).toBe(9_500);
  });

  it("takes a big run in chunks (any order), merges once all are in, and refuses a chunk that does not match", async () => {
    const s = await site();
    await enterCredential(s);
    const at = new Date().toISOString();
    const chunk = (n: number, last: boolean, extra: Record<string, unknown> = {}) =>
      results(
        s,
        [computer(`srv${n}.clinic.test`)],
        [workstation(`ws${n}a.clinic.test`), workstation(`ws${n}b.clinic.test`)],
        {
          run_id: "run-0123456789",
          chunk: n,
          last,
          enumerated_at: at,
          ...extra,
        },
      );
    const c2 = await postResults(s.apiKey, chunk(2, true));
    expect(c2.json.run_status).toBe("receiving");
    const c0 = await postResults(s.apiKey, chunk(0, false));
    expect(c0.json).toMatchObject({ run_status: "receiving", job_id: c2.json.job_id, run_id: c2.json.run_id });
    expect((await postResults(s.apiKey, chunk(0, false))).json.run_status).toBe("receiving"); // a chunk sent twice
    const mismatch = await postResults(s.apiKey, chunk(1, false, { domain: "other.test" }));
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error).toMatch(/same domain/);
    expect(await db().outboxEntry.count({ where: { jobId: c2.json.job_id as string } })).toBe(0);
    const c1 = await postResults(s.apiKey, chunk(1, false));
    expect(c1.json.run_status).toBe("queued");
    await drainSite(s.siteId);
    const t = await targets(s);
    expect(t.servers).toHaveLength(3);
    expect(t.workstations).toHaveLength(6);
    expect((await feed(s.partner.apiToken))[0]?.message).toBe("Enumeration complete: 3 servers, 6 workstations");
  });

  it("answers 400 to malformed results, 413 to a body over 8 MiB, and 403 to another appliance's id", async () => {
    const s = await site();
    const other = await site();
    const noEnabled = { ...computer("x.clinic.test"), enabled: undefined };
    const bad = await postResults(s.apiKey, results(s, [noEnabled], []));
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/servers\.0\.enabled/);
    const chunkless = await postResults(s.apiKey, results(s, [], [], { run_id: "run-0123456789" }));
    expect(chunkless.status).toBe(400);
    expect(chunkless.json.error).toMatch(/run_id/);
    const tooMany = await postResults(
      s.apiKey,
      results(
        s,
        [],
        Array.from({ length: 30_001 }, (_, i) => ({ hostname: `w${i}`, name: "W", enabled: true })),
      ),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toMatch(/at most 30000 computers per post; send a bigger run in chunks/);
    const huge = JSON.stringify(
      results(
        s,
        [],
        Array.from({ length: 40_000 }, (_, i) => workstation(`ws${i}.clinic.test`)),
      ),
    );
    expect(huge.length).toBeGreaterThan(8 * 1024 * 1024);
    const big = await call((await import("@/app/api/appliances/enumeration-results/route")).POST, {
      auth: s.apiKey,
      rawBody: huge,
    });
    expect(big.status).toBe(413);
    expect((await postResults(other.apiKey, results(s, [], []))).status).toBe(403);
    expect(await db().enumerationRun.count({ where: { siteId: { in: [s.siteId, other.siteId] } } })).toBe(0);
  });

  it("reports a failed enumeration to the partner in the appliance's words and closes the flag as failed", async () => {
    const s = await site();
    await enterCredential(s);
    await deliverTriggers(db(), s.applianceId);
    const message =
      "dc01.clinic.test:636 rejected the credential (LDAP 49, data 52e): the password is wrong. Enter it again.";
    const r = await call(enumerationFailedRoute.POST, {
      auth: s.apiKey,
      body: { appliance_id: s.applianceId, domain: DOMAIN, error: message, code: "invalid_credentials" },
    });
    expect(r.status).toBe(200);
    const note = (await feed(s.partner.apiToken))[0];
    expect(note).toMatchObject({
      type: "enumeration_failed",
      message: `Enumeration of ${DOMAIN} failed`,
      detail: message,
    });
    expect(
      await db().applianceTrigger.count({
        where: { applianceId: s.applianceId, kind: "enumeration", state: "failed" },
      }),
    ).toBe(1);
    const page = await callerFor(sessionUser(s.partner.user)).sites.get({ siteId: s.siteId });
    expect(page.directory.lastEnumeration).toMatchObject({
      runId: expect.any(String),
      status: "failed",
      error: `invalid_credentials: ${message}`,
    });
  });
});

describe("coverage and the notification feed", () => {
  it("counts computers in AD against agents and scans (0 for now) and lists disabled and stale ones", async () => {
    const s = await site();
    await enterCredential(s);
    const old = new Date(Date.now() - 90 * 86_400_000).toISOString();
    await enumerate(
      s,
      [
        computer("dc01.clinic.test", { is_domain_controller: true }),
        computer("old01.clinic.test", { last_logon: old }),
      ],
      [
        workstation("ws01.clinic.test"),
        workstation("off01.clinic.test", { enabled: false }),
        workstation("never.clinic.test", { last_logon: null }),
      ],
    );
    const r = await call(coverageRoute.GET, { method: "GET", auth: s.partner.apiToken, params: { siteId: s.siteId } });
    expect(r.status).toBe(200);
    const cov = SiteCoverage.parse(r.json);
    expect(cov).toMatchObject({
      domain: DOMAIN,
      computers_in_ad: 5,
      servers_in_ad: 2,
      workstations_in_ad: 3,
      agents_reporting: 0,
      servers_scanned: 0,
      coverage_percent: 0,
    });
    expect(cov.disabled.map((c) => c.hostname)).toEqual(["off01.clinic.test"]);
    expect(cov.stale.map((c) => c.hostname)).toEqual(["old01.clinic.test"]);
    expect((await targets(s)).servers.find((x) => x.hostname === "old01.clinic.test")?.stale).toBe(true);

    const empty = await site();
    const none = SiteCoverage.parse(
      (await call(coverageRoute.GET, { method: "GET", auth: empty.partner.apiToken, params: { siteId: empty.siteId } }))
        .json,
    );
    expect(none).toMatchObject({ computers_in_ad: 0, coverage_percent: null, domain: null });
  });

  it("lists every alert type, newest first, to any partner token, and only the partner's own", async () => {
    const s = await site();
    const other = await site();
    await notifyPartner(db(), s.partner.partner.id, {
      siteId: s.siteId,
      kind: "appliance.offline",
      title: "Appliance offline",
      body: "x",
    });
    const read = await db().$transaction((tx) =>
      mintPartnerToken(tx, s.partner.partner.id, { name: "r", scope: "read" }),
    );
    const notes = await feed(read.token);
    expect(notes.map((n) => n.type)).toEqual(["appliance_offline", "domain_discovered"]);
    expect(Date.parse(notes[0]?.created_at ?? "")).toBeGreaterThanOrEqual(Date.parse(notes[1]?.created_at ?? ""));
    expect(JSON.stringify(await feed(other.partner.apiToken))).not.toContain(s.siteId);
    const limited = await call(notificationsRoute.GET, { method: "GET", auth: read.token, query: "limit=1" });
    expect((limited.json.notifications as unknown[]).length).toBe(1);
    expect((await call(notificationsRoute.GET, { method: "GET", auth: read.token, query: "limit=0" })).status).toBe(
      400,
    );
    expect((await call(notificationsRoute.GET, { method: "GET" })).status).toBe(401);
  });
});

describe("the merge through the real worker and Redis", () => {
  let worker: { stop(): Promise<number | null>; output(): string } | undefined;
  beforeAll(async () => {
    const { startWorker } = await import("../support/processes");
    worker = startWorker(testEnv.REDIS_URL);
  });
  afterAll(async () => {
    expect(await worker?.stop()).toBe(0);
  });

  it("runs the merge job under its deterministic id and raises the scan flag", async () => {
    const { waitFor } = await import("../support/processes");
    const { Queue } = await import("bullmq");
    const { Redis } = await import("ioredis");
    const s = await site();
    const r0 = await postDomainCredential(s.partner.apiToken, s.siteId, {
      domain: DOMAIN,
      username: "u",
      password: "p",
    });
    expect(r0.status).toBe(201);
    await waitFor("the enumeration flag", () =>
      db().applianceTrigger.findFirst({ where: { applianceId: s.applianceId, kind: "enumeration", state: "pending" } }),
    );
    const r = await postResults(
      s.apiKey,
      results(s, [computer("dc01.clinic.test")], [workstation("ws01.clinic.test")]),
    );
    await waitFor(
      "the merge",
      async () =>
        (await db().enumerationRun.findUniqueOrThrow({ where: { id: r.json.run_id as string } })).status === "merged",
    );
    await waitFor("the scan flag", () =>
      db().applianceTrigger.findFirst({
        where: { applianceId: s.applianceId, kind: "immediate_scan", state: "pending" },
      }),
    );
    const connection = new Redis(testEnv.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue("enumeration", { connection, prefix: testEnv.QUEUE_PREFIX });
    try {
      expect(await queue.getJobState(r.json.job_id as string)).toBe("completed");
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 120_000);
});
