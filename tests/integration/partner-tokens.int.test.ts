import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/partners/me/route";
import { db, disconnectDb } from "@/server/db";
import { authenticatePartnerToken } from "@/server/domain/tokens/authenticate-partner-token";
import { mintPartnerToken } from "@/server/domain/tokens/mint-partner-token";
import { callRoute, makePartner } from "../support/factories";

afterAll(disconnectDb);

const me = (token?: string) =>
  callRoute(
    GET,
    new Request("http://x/api/partners/me", { headers: token ? { authorization: `Bearer ${token}` } : {} }),
  );

describe("partner API tokens and GET /api/partners/me", () => {
  it("answers the token's own partner branding", async () => {
    const a = await makePartner("#2563eb");
    const res = await me(a.apiToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      slug: a.partner.slug,
      brand_name: a.partner.brandName,
      primary_color: "#2563EB",
    });
  });

  it("keeps tenants apart: each token sees only its partner", async () => {
    const a = await makePartner("#111111");
    const b = await makePartner("#222222");
    expect(((await (await me(a.apiToken)).json()) as { slug: string }).slug).toBe(a.partner.slug);
    expect(((await (await me(b.apiToken)).json()) as { slug: string }).slug).toBe(b.partner.slug);
  });

  it("refuses a missing, malformed, unknown or revoked token with 401 JSON", async () => {
    const a = await makePartner();
    expect((await me()).status).toBe(401);
    expect((await me("not-a-token")).status).toBe(401);
    expect((await me(`${a.apiToken}x`)).status).toBe(401);
    await db().partnerApiToken.updateMany({ where: { partnerId: a.partner.id }, data: { revokedAt: new Date() } });
    const res = await me(a.apiToken);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/revoked or expired/);
  });

  it("refuses an expired token", async () => {
    const a = await makePartner();
    const minted = await mintPartnerToken(db(), a.partner.id, { name: "short", scope: "full" });
    await db().partnerApiToken.update({ where: { id: minted.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(authenticatePartnerToken(db(), `Bearer ${minted.token}`)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("stores only a keyed hash of the token, never the token", async () => {
    const a = await makePartner();
    const rows = await db().$queryRaw<
      Array<{ row: string }>
    >`SELECT row_to_json(t)::text AS row FROM partner_api_tokens t WHERE partner_id = ${a.partner.id}`;
    expect(rows.length).toBe(1);
    const secretPart = a.apiToken.slice(16);
    expect(rows[0]?.row).not.toContain(secretPart);
    expect(rows[0]?.row).toMatch(/"token_hash":"[0-9a-f]{64}"/);
  });

  it("records when a token was last used", async () => {
    const a = await makePartner();
    await me(a.apiToken);
    const row = await db().partnerApiToken.findFirstOrThrow({ where: { partnerId: a.partner.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });
});
