import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { callerFor, makePartner, makeUser, sessionUser } from "../support/factories";

afterAll(disconnectDb);

describe("provisionCodes tRPC procedures", () => {
  it("lets a technician create and list codes for their own partner only", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const tech = await makeUser("partner_technician", a.partner.id);
    const created = await callerFor(sessionUser(tech)).provisionCodes.create({ client_name: "Oak Street Clinic" });
    expect(created.code).toMatch(/^[A-Z0-9]{16}$/);

    const mine = await callerFor(sessionUser(a.user)).provisionCodes.list();
    expect(mine.map((c) => c.id)).toEqual([created.id]);
    expect(JSON.stringify(mine)).not.toContain(created.code);
    expect(await callerFor(sessionUser(b.user)).provisionCodes.list()).toEqual([]);
  });

  it("refuses another partner's revoke with NOT_FOUND and leaves the code usable", async () => {
    const a = await makePartner();
    const b = await makePartner();
    const created = await callerFor(sessionUser(a.user)).provisionCodes.create({ client_name: "Clinic" });
    await expect(callerFor(sessionUser(b.user)).provisionCodes.revoke({ id: created.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const [row] = await callerFor(sessionUser(a.user)).provisionCodes.list();
    expect(row?.status).toBe("pending");
    const revoked = await callerFor(sessionUser(a.user)).provisionCodes.revoke({ id: created.id });
    expect(revoked.status).toBe("revoked");
  });

  it("rejects bad input with a zod error and refuses anonymous and platform-admin callers", async () => {
    const a = await makePartner();
    await expect(callerFor(sessionUser(a.user)).provisionCodes.create({ client_name: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(callerFor(null).provisionCodes.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const admin = await makeUser("platform_admin", null);
    await expect(callerFor(sessionUser(admin)).provisionCodes.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("revokes a code older than the newest 200 and answers its summary (not 404)", async () => {
    const a = await makePartner();
    const old = await callerFor(sessionUser(a.user)).provisionCodes.create({ client_name: "Old Clinic" });
    await db().provisionCode.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 86_400_000) } });
    await db().provisionCode.createMany({
      data: Array.from({ length: 200 }, (_, i) => ({
        partnerId: a.partner.id,
        clientName: `Newer ${i}`,
        codeHash: `filler-${a.partner.id}-${i}`,
        codePrefix: "ZZZZ",
        expiresAt: new Date(Date.now() + 86_400_000),
      })),
    });
    const revoked = await callerFor(sessionUser(a.user)).provisionCodes.revoke({ id: old.id });
    expect(revoked).toMatchObject({ id: old.id, clientName: "Old Clinic", status: "revoked" });
    expect((await db().provisionCode.findUniqueOrThrow({ where: { id: old.id } })).revokedAt).not.toBeNull();
  });
});
