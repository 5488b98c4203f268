import { Writable } from "node:stream";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as checkinRoute from "@/app/api/appliances/checkin/route";
import { deriveApplianceKeys, generateRootSecret } from "@/appliance/src/crypto/appliance-key";
import { unsealSecret } from "@/appliance/src/crypto/sealed-box";
import { CheckinResponse } from "@/server/contracts";
import { db, disconnectDb } from "@/server/db";
import { closePgPool, pgPool } from "@/server/db-pg";
import { flushCheckinBuffers } from "@/server/domain/checkin/check-in";
import { requestTrigger } from "@/server/domain/checkin/triggers";
import { createSiteCredential, deleteSiteCredential } from "@/server/domain/credentials/site-credentials";
import { runMaintenance } from "@/server/domain/maintenance/run-maintenance";
import { resetEnvCache } from "@/server/env";
import { createLogger, setLogger } from "@/server/logger";
import { closeRedis } from "@/server/redis";
import { callRoute, makeApplianceWithKey, makePartner } from "../support/factories";

afterAll(async () => {
  await flushCheckinBuffers();
  await closeRedis();
  await closePgPool();
  await disconnectDb();
});

const actor = { actorType: "system" as const };

/** A real write failure of the access log: PostgreSQL refuses every new or bumped row while fn runs. */
async function withAccessLogBroken(fn: () => Promise<void>) {
  await pgPool().query("ALTER TABLE credential_access ADD CONSTRAINT test_refuse_all CHECK (count < 0) NOT VALID");
  try {
    await fn();
  } finally {
    await pgPool().query("ALTER TABLE credential_access DROP CONSTRAINT test_refuse_all");
  }
}
const SECRET = "Spring2027!do-not-leak";

async function checkin(apiKey: string | null, body: unknown) {
  const res = await callRoute(
    checkinRoute.POST,
    new Request("http://x/api/appliances/checkin", {
      method: "POST",
      headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function fleet(opts: { publicKey?: string } = {}) {
  const partner = await makePartner();
  const a = await makeApplianceWithKey(partner.partner.id, opts);
  return { partner, ...a };
}

async function addCredential(partnerId: string, siteId: string, host: string | undefined, password = SECRET) {
  return createSiteCredential(
    db(),
    partnerId,
    siteId,
    {
      credential_type: "winrm",
      credential_name: host ?? "no host",
      host,
      username: "svc",
      password,
      domain: "CLINIC",
      use_ssl: false,
    },
    actor,
  );
}

describe("POST /api/appliances/checkin", () => {
  it("authenticates: 401 without or with an unknown key, 403 for another appliance, 400 for a non-object", async () => {
    const a = await fleet();
    const b = await fleet();
    expect((await checkin(null, { appliance_id: a.applianceId })).status).toBe(401);
    expect((await checkin("not-the-key-000000000000000000000", { appliance_id: a.applianceId })).status).toBe(401);
    const wrong = await checkin(a.apiKey, { appliance_id: b.applianceId });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatch(/different appliance/);
    expect((await checkin(a.apiKey, "[]")).status).toBe(400);
    expect((await checkin(a.apiKey, {})).status).toBe(400);
  });

  it("starts with both flags false and no targets, and records last-seen, version and uptime", async () => {
    const a = await fleet();
    const res = await checkin(a.apiKey, {
      appliance_id: a.applianceId,
      agent_version: "0.1.0",
      uptime_s: 42,
      hostname: "osiris-box",
    });
    expect(res.status).toBe(200);
    expect(CheckinResponse.parse(res.body)).toMatchObject({
      status: "ok",
      poll_interval: 60,
      trigger_enumeration: false,
      trigger_immediate_scan: false,
      windows_targets: [],
    });
    await flushCheckinBuffers();
    expect(await db().appliance.findUniqueOrThrow({ where: { id: a.applianceId } })).toMatchObject({
      agentVersion: "0.1.0",
      uptimeS: 42,
      hostname: "osiris-box",
      status: "online",
    });
  });

  it("returns the site's credentials that name a host, fresh each time: rotation and deletion show on the next check-in", async () => {
    const a = await fleet();
    const cred = await addCredential(a.partner.partner.id, a.siteId, "fs01.clinic.local");
    await addCredential(a.partner.partner.id, a.siteId, undefined); // no host: not a target
    let res = CheckinResponse.parse((await checkin(a.apiKey, { appliance_id: a.applianceId })).body);
    expect(res.windows_targets).toEqual([
      {
        hostname: "fs01.clinic.local",
        credential_id: cred.id,
        username: "CLINIC\\svc",
        // No public key registered (a third-party client of the seed's API): the seed's plain password.
        password: SECRET,
        use_ssl: false,
        port: 5985,
        transport: "ntlm",
      },
    ]);

    const other = await fleet();
    const theirs = CheckinResponse.parse((await checkin(other.apiKey, { appliance_id: other.applianceId })).body);
    expect(theirs.windows_targets).toEqual([]);

    await deleteSiteCredential(db(), a.partner.partner.id, a.siteId, cred.id, actor);
    res = CheckinResponse.parse((await checkin(a.apiKey, { appliance_id: a.applianceId })).body);
    expect(res.windows_targets).toEqual([]);
  });

  it("seals passwords to an appliance that registered a public key, bound to appliance, credential and target", async () => {
    const keys = deriveApplianceKeys(generateRootSecret());
    const a = await fleet({ publicKey: keys.keyPair.publicKeyBase64 });
    const cred = await addCredential(a.partner.partner.id, a.siteId, "sql01.clinic.local");
    const res = CheckinResponse.parse((await checkin(a.apiKey, { appliance_id: a.applianceId })).body);
    const [target] = res.windows_targets;
    // Never a plain password to an appliance that has a key, not even beside the sealed one.
    expect(target?.password).toBeUndefined();
    expect(JSON.stringify(res)).not.toContain(SECRET);
    expect(target?.credential_id).toBe(cred.id);
    const binding = {
      applianceId: a.applianceId,
      credentialId: cred.id,
      hostname: "sql01.clinic.local",
      username: "CLINIC\\svc",
    };
    expect(unsealSecret(target?.sealed_password ?? "", keys.keyPair.privateKey, binding)).toBe(SECRET);
    expect(() =>
      unsealSecret(target?.sealed_password ?? "", keys.keyPair.privateKey, { ...binding, hostname: "evil.example" }),
    ).toThrow();
    expect(() =>
      unsealSecret(target?.sealed_password ?? "", keys.keyPair.privateKey, { ...binding, applianceId: "another" }),
    ).toThrow();
    const stranger = deriveApplianceKeys(generateRootSecret()).keyPair.privateKey;
    expect(() => unsealSecret(target?.sealed_password ?? "", stranger, binding)).toThrow();
  });

  it("has every release in the access log by the time it answers: one row per credential and hour, counted", async () => {
    const a = await fleet();
    const cred = await addCredential(a.partner.partner.id, a.siteId, "fs01.clinic.local");
    const cred2 = await addCredential(a.partner.partner.id, a.siteId, "sql01.clinic.local");
    for (let i = 0; i < 3; i++) {
      expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).status).toBe(200);
      // No flush: the rows are committed before the response.
      const rows = await db().credentialAccess.findMany({
        where: { siteId: a.siteId },
        orderBy: { credentialId: "asc" },
      });
      expect(rows.map((r) => [r.applianceId, r.credentialId, r.count])).toEqual(
        [cred.id, cred2.id].sort().map((id) => [a.applianceId, id, i + 1]),
      );
    }
  });

  it("answers 503 without any password when the access log cannot be written, and consumes no flag", async () => {
    const a = await fleet();
    await addCredential(a.partner.partner.id, a.siteId, "fs01.clinic.local");
    await requestTrigger(db(), a.applianceId, "enumeration", "test");
    await withAccessLogBroken(async () => {
      const res = await checkin(a.apiKey, { appliance_id: a.applianceId });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatch(/access log.*no credentials were sent/);
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
    });
    expect(await db().credentialAccess.count({ where: { siteId: a.siteId } })).toBe(0);
    // Once the log can be written again, the password and the flag arrive, audited.
    const res = await checkin(a.apiKey, { appliance_id: a.applianceId });
    expect(res.body).toMatchObject({
      trigger_enumeration: true,
      windows_targets: [expect.objectContaining({ password: SECRET })],
    });
    expect(await db().credentialAccess.count({ where: { siteId: a.siteId } })).toBe(1);
  });

  it("delivers a flag exactly once, even to concurrent check-ins", async () => {
    const a = await fleet();
    await requestTrigger(db(), a.applianceId, "enumeration", "test");
    await requestTrigger(db(), a.applianceId, "immediate_scan", "test");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => checkin(a.apiKey, { appliance_id: a.applianceId })),
    );
    expect(results.filter((r) => r.body.trigger_enumeration === true)).toHaveLength(1);
    expect(results.filter((r) => r.body.trigger_immediate_scan === true)).toHaveLength(1);
    const after = await checkin(a.apiKey, { appliance_id: a.applianceId });
    expect(after.body).toMatchObject({ trigger_enumeration: false, trigger_immediate_scan: false });
  });

  it("completes a delivered scan flag when a later check-in reports a finished scan", async () => {
    const a = await fleet();
    await requestTrigger(db(), a.applianceId, "immediate_scan", "test");
    expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).body.trigger_immediate_scan).toBe(true);
    await checkin(a.apiKey, {
      appliance_id: a.applianceId,
      last_scan_completed_at: new Date(Date.now() + 1000).toISOString(),
    });
    const t = await db().applianceTrigger.findFirstOrThrow({
      where: { applianceId: a.applianceId, kind: "immediate_scan" },
    });
    expect(t.state).toBe("completed");
  });

  it("never writes a secret to the logs, on the paths that do log", async () => {
    let out = "";
    const sink = new Writable({
      write: (c, _e, cb) => {
        out += c.toString();
        cb();
      },
    });
    process.env.LOG_LEVEL = "trace";
    resetEnvCache();
    setLogger(createLogger(sink));
    try {
      const a = await fleet();
      await addCredential(a.partner.partner.id, a.siteId, "fs01.clinic.local");
      // A 500: a stored credential that no longer decrypts (its ciphertext damaged) fails the whole check-in.
      const b = await fleet();
      const damaged = await addCredential(b.partner.partner.id, b.siteId, "dc01.clinic.local");
      await addCredential(b.partner.partner.id, b.siteId, "fs01.clinic.local", `${SECRET}-b`);
      await pgPool().query(
        "UPDATE site_credentials SET encrypted_data = set_byte(encrypted_data, 20, get_byte(encrypted_data, 20) # 1) WHERE id = $1",
        [damaged.id],
      );

      expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).status).toBe(200);
      expect((await checkin(b.apiKey, { appliance_id: b.applianceId })).status).toBe(500);
      expect((await checkin(SECRET, { appliance_id: a.applianceId })).status).toBe(401);
      expect((await checkin(a.apiKey, { appliance_id: "someone-else" })).status).toBe(403);
      expect((await checkin(a.apiKey, "{broken")).status).toBe(400);
      await withAccessLogBroken(async () => {
        expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).status).toBe(503);
      });
      await flushCheckinBuffers();

      // The failures were logged (so this test looks at real log output) ...
      const lines = out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { msg: string; path?: string });
      expect(lines.find((l) => l.msg === "unhandled error in route handler")?.path).toBe("/api/appliances/checkin");
      expect(lines.some((l) => l.msg.startsWith("credential access log write failed"))).toBe(true);
      // ... and no password or key is in it.
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain(a.apiKey);
      expect(out).not.toContain(b.apiKey);
    } finally {
      process.env.LOG_LEVEL = "silent";
      resetEnvCache();
      setLogger(createLogger());
    }
  });
});

describe("check-ins that arrive together", () => {
  it("share one lookup, yet each gets only its own appliance's targets; an unknown key in the batch gets 401", async () => {
    const fleets = await Promise.all(Array.from({ length: 12 }, () => fleet()));
    await Promise.all(fleets.map((f, i) => addCredential(f.partner.partner.id, f.siteId, `host-${i}.batch.test`)));
    const query = vi.spyOn(pgPool(), "query");
    const answers = await Promise.all([
      ...fleets.map((f) => checkin(f.apiKey, { appliance_id: f.applianceId })),
      checkin("no-such-key-0123456789abcdefghij", { appliance_id: "nobody" }),
      // The same key twice in one batch: both answered.
      checkin(fleets[0]?.apiKey ?? "", { appliance_id: fleets[0]?.applianceId }),
    ]);
    fleets.forEach((_, i) => {
      const res = answers[i];
      expect(res?.status).toBe(200);
      const targets = (res?.body.windows_targets ?? []) as Array<{ hostname: string }>;
      expect(targets.map((t) => t.hostname)).toEqual([`host-${i}.batch.test`]);
    });
    expect(answers[12]?.status).toBe(401);
    expect(answers[13]?.status).toBe(200);
    expect(answers[13]?.body.windows_targets).toEqual(answers[0]?.body.windows_targets);
    const lookups = query.mock.calls.filter(([q]) => (q as { name?: string }).name?.startsWith("checkin-context"));
    expect(lookups).toHaveLength(1);
    query.mockRestore();
  });
});

describe("maintenance", () => {
  it("marks silent appliances offline with a notification, and back online at their next check-in", async () => {
    const a = await fleet();
    await db().appliance.update({
      where: { id: a.applianceId },
      data: { status: "online", lastCheckinAt: new Date(Date.now() - 10 * 60_000) },
    });
    await runMaintenance(db());
    expect((await db().appliance.findUniqueOrThrow({ where: { id: a.applianceId } })).status).toBe("offline");
    expect(
      await db().notification.count({ where: { partnerId: a.partner.partner.id, kind: "appliance.offline" } }),
    ).toBe(1);

    await checkin(a.apiKey, { appliance_id: a.applianceId });
    await flushCheckinBuffers();
    expect((await db().appliance.findUniqueOrThrow({ where: { id: a.applianceId } })).status).toBe("online");
    expect(
      await db().notification.count({ where: { partnerId: a.partner.partner.id, kind: "appliance.online" } }),
    ).toBe(1);
  });

  it("does not re-arm a delivered flag while a newer request of its kind is pending (one pending flag per kind)", async () => {
    const a = await fleet();
    await requestTrigger(db(), a.applianceId, "immediate_scan", "first");
    expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).body.trigger_immediate_scan).toBe(true);
    await requestTrigger(db(), a.applianceId, "immediate_scan", "second");
    await db().applianceTrigger.updateMany({
      where: { applianceId: a.applianceId, state: "delivered" },
      data: { deliveredAt: new Date(Date.now() - 31 * 60_000) },
    });
    // Before the fix this threw on the unique index and skipped every later step of the run.
    const result = await runMaintenance(db());
    expect(result.rearmed).toBe(0);
    const states = await db().applianceTrigger.findMany({
      where: { applianceId: a.applianceId },
      select: { state: true },
      orderBy: { requestedAt: "asc" },
    });
    expect(states.map((t) => t.state)).toEqual(["delivered", "pending"]);
    expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).body.trigger_immediate_scan).toBe(true);
  });

  it("re-arms a delivered flag that never reported back, at most 3 deliveries, then notifies", async () => {
    const a = await fleet();
    await requestTrigger(db(), a.applianceId, "enumeration", "test");
    for (let delivery = 1; delivery <= 3; delivery++) {
      expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).body.trigger_enumeration).toBe(true);
      await db().applianceTrigger.updateMany({
        where: { applianceId: a.applianceId },
        data: { deliveredAt: new Date(Date.now() - 31 * 60_000) },
      });
      await runMaintenance(db());
    }
    const t = await db().applianceTrigger.findFirstOrThrow({ where: { applianceId: a.applianceId } });
    expect(t).toMatchObject({ state: "failed", attempts: 3 });
    expect((await checkin(a.apiKey, { appliance_id: a.applianceId })).body.trigger_enumeration).toBe(false);
    const n = await db().notification.findFirstOrThrow({
      where: { partnerId: a.partner.partner.id, kind: "trigger.failed" },
    });
    expect(n.title).toMatch(/did not complete Active Directory enumeration/);
  });
});
