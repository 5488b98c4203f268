import { afterAll, describe, expect, it } from "vitest";
import * as credRoute from "@/app/api/partners/me/sites/[siteId]/credentials/[credentialId]/route";
import * as credsRoute from "@/app/api/partners/me/sites/[siteId]/credentials/route";
import { db, disconnectDb } from "@/server/db";
import { type CredentialSecret, credentialRef } from "@/server/domain/credentials/site-credentials";
import { setDomainCredential } from "@/server/domain/directory/domain-credential";
import { decryptRecord } from "@/server/domain/security/envelope";
import { closeRedis } from "@/server/redis";
import { callRoute, makePartner, makeSiteWithAppliance } from "../support/factories";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

const PASSWORD = "Winter2026!clinic-secret";

function call(
  handler: typeof credsRoute.POST,
  token: string,
  params: Record<string, string>,
  init: { method: string; body?: unknown },
) {
  return callRoute(
    handler,
    new Request("http://x/", {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    params,
  );
}

async function setup() {
  const partner = await makePartner();
  const { siteId, appliance } = await makeSiteWithAppliance(partner.partner.id);
  const res = await call(
    credsRoute.POST,
    partner.apiToken,
    { siteId },
    {
      method: "POST",
      body: {
        credential_type: "winrm",
        credential_name: "File server",
        host: "fs01.clinic.local",
        username: "svc-osiris",
        password: PASSWORD,
        domain: "CLINIC",
        use_ssl: true,
      },
    },
  );
  return { partner, siteId, appliance, res, body: (await res.json()) as Record<string, unknown> };
}

describe("site credentials (REST)", () => {
  it("stores a credential and answers 201 without the password", async () => {
    const { res, body, siteId } = await setup();
    expect(res.status).toBe(201);
    expect(body).toMatchObject({
      site_id: siteId,
      credential_type: "winrm",
      credential_name: "File server",
      host: "fs01.clinic.local",
      username: "svc-osiris",
      domain: "CLINIC",
      use_ssl: true,
    });
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
  });

  it("keeps no plaintext password in the database, and lists without secrets", async () => {
    const { partner, siteId } = await setup();
    const rows = await db().$queryRaw<
      Array<{ row: string }>
    >`SELECT row_to_json(c)::text AS row FROM site_credentials c WHERE site_id = ${siteId}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.row).not.toContain(PASSWORD);
    expect(rows[0]?.row).not.toContain(Buffer.from(PASSWORD).toString("hex"));
    const list = await call(credsRoute.GET, partner.apiToken, { siteId }, { method: "GET" });
    const text = await list.text();
    expect(text).not.toContain(PASSWORD);
    expect((JSON.parse(text) as { credentials: unknown[] }).credentials).toHaveLength(1);
  });

  it("binds each ciphertext to its row: moved to another row it fails to decrypt", async () => {
    const a = await setup();
    const b = await setup();
    const rowA = await db().siteCredential.findFirstOrThrow({ where: { siteId: a.siteId } });
    const rowB = await db().siteCredential.findFirstOrThrow({ where: { siteId: b.siteId } });
    expect(decryptRecord<CredentialSecret>(credentialRef(a.siteId, rowA.id), rowA).password).toBe(PASSWORD);
    // A's blobs under B's identity (as if copied into B's row): authentication fails.
    expect(() => decryptRecord(credentialRef(b.siteId, rowB.id), rowA)).toThrow();
    expect(() => decryptRecord(credentialRef(b.siteId, rowA.id), rowA)).toThrow();
  });

  it("edits keep the stored password unless a new one is given; delete removes it", async () => {
    const { partner, siteId, body } = await setup();
    const id = String(body.id);
    const patch = (change: Record<string, unknown>) =>
      call(credRoute.PATCH, partner.apiToken, { siteId, credentialId: id }, { method: "PATCH", body: change });
    const edit = await patch({ credential_name: "FS01", username: "svc-scan" });
    expect(await edit.json()).toMatchObject({ credential_name: "FS01", username: "svc-scan" });
    const row = await db().siteCredential.findUniqueOrThrow({ where: { id } });
    expect(decryptRecord<CredentialSecret>(credentialRef(siteId, id), row)).toMatchObject({
      password: PASSWORD,
      username: "svc-scan",
    });

    await patch({ password: "Rotated!2027" });
    const rotated = await db().siteCredential.findUniqueOrThrow({ where: { id } });
    expect(decryptRecord<CredentialSecret>(credentialRef(siteId, id), rotated).password).toBe("Rotated!2027");

    const del = await call(credRoute.DELETE, partner.apiToken, { siteId, credentialId: id }, { method: "DELETE" });
    expect(await del.json()).toEqual({ deleted: true, id });
    expect(await db().siteCredential.count({ where: { siteId } })).toBe(0);
  });

  it("needs the password again to point a credential at another host or change HTTPS, and audits the move", async () => {
    const { partner, siteId, body } = await setup();
    const id = String(body.id);
    const patch = (change: Record<string, unknown>) =>
      call(credRoute.PATCH, partner.apiToken, { siteId, credentialId: id }, { method: "PATCH", body: change });
    for (const change of [{ host: "attacker.example" }, { use_ssl: false }, { host: null }]) {
      const refused = await patch(change);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toMatch(/needs its password again/);
    }
    const unchanged = await db().siteCredential.findUniqueOrThrow({ where: { id } });
    expect(decryptRecord<CredentialSecret>(credentialRef(siteId, id), unchanged)).toMatchObject({
      host: "fs01.clinic.local",
      use_ssl: true,
      password: PASSWORD,
    });
    // The same host and setting, restated, are not a move.
    expect((await patch({ host: "fs01.clinic.local", use_ssl: true })).status).toBe(200);

    const moved = await patch({ host: "fs02.clinic.local", use_ssl: false, password: "Typed-again!1" });
    expect(moved.status).toBe(200);
    const row = await db().siteCredential.findUniqueOrThrow({ where: { id } });
    expect(decryptRecord<CredentialSecret>(credentialRef(siteId, id), row)).toMatchObject({
      host: "fs02.clinic.local",
      use_ssl: false,
      password: "Typed-again!1",
    });
    const audit = await db().auditEvent.findMany({ where: { siteId, action: "credential.updated", targetId: id } });
    expect(audit.map((e) => e.metadata)).toContainEqual(
      expect.objectContaining({
        host_from: "fs01.clinic.local",
        host_to: "fs02.clinic.local",
        use_ssl_from: true,
        use_ssl_to: false,
      }),
    );
  });

  it("leaves the site's domain credential to its own endpoint: not listed here, and edit or delete answer 409", async () => {
    const partner = await makePartner();
    const { siteId } = await makeSiteWithAppliance(partner.partner.id);
    const domain = await setDomainCredential(
      db(),
      partner.partner.id,
      siteId,
      { domain: "clinic.local", username: "osiris-svc", password: PASSWORD },
      { actorType: "system" },
    );
    const list = await call(credsRoute.GET, partner.apiToken, { siteId }, { method: "GET" });
    expect(((await list.json()) as { credentials: unknown[] }).credentials).toEqual([]);

    const params = { siteId, credentialId: domain.id };
    // Giving it a host here would turn the domain admin's password into a manual target's.
    const edit = await call(credRoute.PATCH, partner.apiToken, params, {
      method: "PATCH",
      body: { host: "evil.example", password: "anything" },
    });
    expect(edit.status).toBe(409);
    expect(((await edit.json()) as { error: string }).error).toContain("domain-credentials");
    expect((await call(credRoute.DELETE, partner.apiToken, params, { method: "DELETE" })).status).toBe(409);
    const row = await db().siteCredential.findUniqueOrThrow({ where: { id: domain.id } });
    expect(row.host).toBeNull();
  });

  it("refuses another partner's site and credential ids with 404", async () => {
    const a = await setup();
    const b = await makePartner();
    const id = String(a.body.id);
    expect((await call(credsRoute.GET, b.apiToken, { siteId: a.siteId }, { method: "GET" })).status).toBe(404);
    const post = await call(
      credsRoute.POST,
      b.apiToken,
      { siteId: a.siteId },
      {
        method: "POST",
        body: { credential_type: "winrm", credential_name: "x", host: "h", username: "u", password: "p" },
      },
    );
    expect(post.status).toBe(404);
    expect(
      (await call(credRoute.DELETE, b.apiToken, { siteId: a.siteId, credentialId: id }, { method: "DELETE" })).status,
    ).toBe(404);
    expect(
      (
        await call(
          credRoute.PATCH,
          b.apiToken,
          { siteId: a.siteId, credentialId: id },
          { method: "PATCH", body: { password: "x" } },
        )
      ).status,
    ).toBe(404);
    expect(await db().siteCredential.count({ where: { id } })).toBe(1);
  });

  it("validates input with readable 400s", async () => {
    const { partner, siteId } = await setup();
    const bad = await call(
      credsRoute.POST,
      partner.apiToken,
      { siteId },
      { method: "POST", body: { credential_type: "telnet", credential_name: "", username: "u", password: "" } },
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/credential_type/);
  });
});
