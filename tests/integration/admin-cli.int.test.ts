import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/partners/me/route";
import { db, disconnectDb } from "@/server/db";
import { callRoute, uniq } from "../support/factories";
import { testEnv } from "../support/test-env";

afterAll(disconnectDb);

function admin(...args: string[]) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
    env: { ...process.env, ...testEnv },
    encoding: "utf8",
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("npm run admin", () => {
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
