import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/partners/me/route";
import { db, disconnectDb } from "@/server/db";
import { closeRedis } from "@/server/redis";
import { callerFor, callRoute, makePartner, makeUser, PASSWORD, uniq } from "../support/factories";
import { sessionCookie, signIn } from "../support/sign-in";
import { testEnv } from "../support/test-env";

afterAll(async () => {
  await closeRedis();
  await disconnectDb();
});

function admin(...args: string[]) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
    env: { ...process.env, ...testEnv },
    encoding: "utf8",
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("npm run admin", () => {
  it("user:reset-password --json prints a one-time link that sets a new password once; sessions end; audited", async () => {
    const p = await makePartner();
    const tech = await makeUser("partner_technician", p.partner.id);
    await sessionCookie(tech.email, PASSWORD);
    const out = admin("user:reset-password", "--email", tech.email.toUpperCase(), "--json");
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    const lines = out.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    expect(printed).toMatchObject({ user_id: tech.id, email: tech.email, sessions_ended: 1 });
    const token = new URL(String(printed.reset_url)).pathname.split("/")[2] ?? "";
    expect(await db().session.count({ where: { userId: tech.id } })).toBe(0);
    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "user.password_reset_issued", targetId: tech.id },
    });
    expect(event).toMatchObject({ actorType: "system", partnerId: p.partner.id });
    expect(JSON.stringify(event.metadata)).not.toContain(token);

    const anonymous = callerFor(null);
    await anonymous.invites.accept({ token, password: "set by the link from the CLI" });
    await expect(anonymous.invites.accept({ token, password: "and again from the CLI" })).rejects.toThrow();
    expect((await signIn(tech.email, "set by the link from the CLI")).status).toBe(200);
  });

  it("user:reset-password for an unknown email fails without printing a link", () => {
    const out = admin("user:reset-password", "--email", `${uniq("nobody")}@example.test`);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain("No user with that email");
  });

  it("user:create refuses a password the sign-in rules would refuse, naming the flag", async () => {
    const email = `${uniq("short")}@example.test`;
    const out = admin("user:create", "--email", email, "--password", "short", "--role", "platform_admin");
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("--password must be at least 10 characters");
    expect(await db().user.count({ where: { email } })).toBe(0);
  });

  it("partner:create --json prints exactly one JSON line whose token the API accepts", async () => {
    const slug = uniq("cli");
    const out = admin(
      "partner:create",
      "--name",
      "CLI Clinic IT",
      "--slug",
      slug,
      "--color",
      "#0ea5e9",
      "--email",
      `${slug}@example.test`,
      "--password",
      "long enough password",
      "--json",
    );
    expect(out.code).toBe(0);
    const lines = out.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0] ?? "") as {
      partner_id: string;
      slug: string;
      api_token: string;
      scope: string;
    };
    expect(Object.keys(created).sort()).toEqual(["api_token", "partner_id", "scope", "slug"]);
    expect(created.scope).toBe("full");
    expect(created.slug).toBe(slug);

    const res = await callRoute(
      GET,
      new Request("http://x/api/partners/me", { headers: { authorization: `Bearer ${created.api_token}` } }),
    );
    expect(await res.json()).toEqual({ slug, brand_name: "CLI Clinic IT", primary_color: "#0EA5E9" });

    const minted = admin("partner:token", "--slug", slug, "--json");
    expect(minted.code).toBe(0);
    const second = JSON.parse(minted.stdout.trim()) as { api_token: string; slug: string };
    expect(second.slug).toBe(slug);
    expect(second.api_token).not.toBe(created.api_token);
    const res2 = await callRoute(
      GET,
      new Request("http://x/api/partners/me", { headers: { authorization: `Bearer ${second.api_token}` } }),
    );
    expect(res2.status).toBe(200);
    // Both printed tokens are full: a partner admin's rights over REST.
    const scopes = await db().partnerApiToken.findMany({
      where: { partner: { slug } },
      select: { scope: true },
    });
    expect(scopes.map((t) => t.scope)).toEqual(["full", "full"]);
  });

  it("refuses a duplicate slug with a clear message and a non-zero exit", () => {
    const slug = uniq("dup");
    const args = [
      "--name",
      "Dup",
      "--slug",
      slug,
      "--color",
      "#000000",
      "--password",
      "long enough password",
      "--json",
    ];
    expect(admin("partner:create", ...args, "--email", `${slug}@example.test`).code).toBe(0);
    const again = admin("partner:create", ...args, "--email", `${slug}-2@example.test`);
    expect(again.code).not.toBe(0);
    expect(again.stdout).toBe("");
    expect(again.stderr).toContain(`A partner with slug "${slug}" already exists`);
  });

  it.each([
    [
      [
        "partner:create",
        "--name",
        "X",
        "--slug",
        "ok-slug",
        "--color",
        "blue",
        "--email",
        "a@b.test",
        "--password",
        "long enough password",
      ],
      /color: must be a colour like #2563EB/,
    ],
    [
      [
        "partner:create",
        "--name",
        "X",
        "--slug",
        "Bad Slug",
        "--color",
        "#000000",
        "--email",
        "a@b.test",
        "--password",
        "long enough password",
      ],
      /slug: must be lower-case/,
    ],
    [
      [
        "partner:create",
        "--name",
        "X",
        "--slug",
        "ok-slug",
        "--color",
        "#000000",
        "--email",
        "a@b.test",
        "--password",
        "short",
      ],
      /--password must be at least 10 characters/,
    ],
    [["partner:create", "--name", "X"], /Missing --slug/],
    [["partner:token", "--slug", "no-such-partner"], /No partner with slug "no-such-partner"/],
    [["frobnicate"], /Unknown command "frobnicate"/],
    [["partner:create", "--bogus"], /Unknown option '--bogus'/],
  ])("rejects bad arguments %j", (args, message) => {
    const out = admin(...args);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatch(message);
  });
});
