/**
 * Platform-admin CLI: `npm run admin -- <command> [options]`.
 * With --json a command prints exactly one line of JSON on stdout; everything else goes to stderr.
 */
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { UserPassword } from "@/server/contracts/users";
import { db, disconnectDb } from "@/server/db";
import { rotateMasterKey } from "@/server/domain/credentials/rotate-master-key";
import { createPartner } from "@/server/domain/partners/create-partner";
import { getPartnerBySlug } from "@/server/domain/partners/get-partner-by-slug";
import { listPartners } from "@/server/domain/partners/list-partners";
import { mintPartnerToken } from "@/server/domain/tokens/mint-partner-token";
import { createUser } from "@/server/domain/users/create-user";
import { resetUserPasswordByEmail } from "@/server/domain/users/reset-user-password";
import { AppError } from "@/server/errors";
import { formatZodIssues } from "@/server/http/zod-message";
import { ensureLocalSecrets } from "@/server/local-secrets";
import { closeRedis } from "@/server/redis";

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  partner:create --name NAME --slug SLUG --color "#RRGGBB" --email EMAIL --password PW [--json]
      Create a partner, its first partner admin (EMAIL / PW) and a full-scope API token.
  partner:token --slug SLUG [--token-name NAME] [--json]
      Mint another full-scope API token for a partner (a partner admin's rights over REST).
  partner:list [--json]
      List partners.
  user:create --email EMAIL --password PW --role partner_admin|partner_technician|platform_admin [--slug SLUG] [--name NAME] [--json]
      Create a user; partner roles need --slug.
  user:reset-password --email EMAIL [--json]
      Print a one-time password-reset link (7 days, shown once) for a partner user; their sessions end now.
  keys:rotate [--rewrap-only] [--json]
      Make a new credentials master key current and re-wrap every stored data key under it (no downtime).
      It re-wraps again after 31 s, once every running process has re-read the keyring.
      --rewrap-only: the keyring (CREDENTIALS_KEYRING) already names the new current key; only re-wrap.
`;

class UsageError extends Error {}

type Flags = Record<string, string | boolean | undefined>;

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`Missing --${name}.`);
  return value;
}

/** The sign-in rules' password (the same contract the invite page uses), or a usage error naming the flag. */
function validPassword(password: string): string {
  const checked = UserPassword.safeParse(password);
  if (!checked.success) throw new UsageError(`--password ${checked.error.issues[0]?.message ?? "is not valid"}.`);
  return checked.data;
}

function print(json: boolean, data: Record<string, unknown>, human: string): void {
  if (json) process.stdout.write(`${JSON.stringify(data)}\n`);
  else process.stderr.write(`${human}\n`);
}

async function run(command: string | undefined, flags: Flags): Promise<void> {
  const json = flags.json === true;
  switch (command) {
    case "partner:create": {
      const result = await createPartner(db(), {
        name: required(flags, "name"),
        slug: required(flags, "slug"),
        color: required(flags, "color"),
        email: required(flags, "email"),
        password: validPassword(required(flags, "password")),
      });
      print(
        json,
        { partner_id: result.partner.id, slug: result.partner.slug, api_token: result.apiToken, scope: "full" },
        `Created partner ${result.partner.brandName} (${result.partner.slug}).\nAdmin login: ${result.user.email}\nAPI token (full scope, shown once): ${result.apiToken}`,
      );
      return;
    }
    case "partner:token": {
      const partner = await getPartnerBySlug(db(), required(flags, "slug"));
      const tokenName = typeof flags["token-name"] === "string" ? flags["token-name"] : "cli";
      const minted = await mintPartnerToken(db(), partner.id, { name: tokenName, scope: "full" });
      print(
        json,
        { partner_id: partner.id, slug: partner.slug, api_token: minted.token, scope: minted.scope },
        `API token for ${partner.slug} (full scope, shown once): ${minted.token}`,
      );
      return;
    }
    case "partner:list": {
      const rows = await listPartners(db());
      print(
        json,
        { partners: rows },
        rows.map((r) => `${r.slug}\t${r.brand_name}\t${r.primary_color}`).join("\n") || "No partners.",
      );
      return;
    }
    case "user:create": {
      const role = required(flags, "role");
      if (role !== "partner_admin" && role !== "partner_technician" && role !== "platform_admin") {
        throw new UsageError(`--role must be partner_admin, partner_technician or platform_admin, not "${role}".`);
      }
      const slug = typeof flags.slug === "string" ? flags.slug : undefined;
      if (role !== "platform_admin" && !slug) throw new UsageError("Partner roles need --slug.");
      const partnerId = slug ? (await getPartnerBySlug(db(), slug)).id : null;
      const email = required(flags, "email");
      const user = await db().$transaction((tx) =>
        createUser(tx, {
          email,
          name: typeof flags.name === "string" ? flags.name : email,
          password: validPassword(required(flags, "password")),
          role,
          partnerId,
        }),
      );
      print(json, { user_id: user.id, email: user.email, role: user.role }, `Created ${user.role} ${user.email}.`);
      return;
    }
    case "user:reset-password": {
      const reset = await resetUserPasswordByEmail(db(), required(flags, "email"), {
        actorType: "system",
        actorId: "admin-cli",
        ip: null,
      });
      print(
        json,
        {
          user_id: reset.user.id,
          email: reset.user.email,
          reset_url: reset.inviteUrl,
          expires_at: reset.expiresAt,
          sessions_ended: reset.sessionsEnded,
        },
        `One-time link for ${reset.user.email} (shown once, valid until ${reset.expiresAt}):\n${reset.inviteUrl}\nSessions ended: ${reset.sessionsEnded}.`,
      );
      return;
    }
    case "keys:rotate": {
      if (flags["rewrap-only"] !== true) process.stderr.write("Rotating; this takes about 31 s…\n");
      const result = await rotateMasterKey(db(), { generate: flags["rewrap-only"] !== true });
      print(
        json,
        {
          current_key_id: result.current,
          generated: result.generated,
          rewrapped: result.rewrapped,
          credentials_by_key: result.byKey,
        },
        `Current master key: ${result.current}${result.generated ? " (new)" : ""}. Re-wrapped ${result.rewrapped} data keys. Credentials by key: ${JSON.stringify(result.byKey)}`,
      );
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : "No command given.");
  }
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        name: { type: "string" },
        slug: { type: "string" },
        color: { type: "string" },
        email: { type: "string" },
        password: { type: "string" },
        role: { type: "string" },
        "token-name": { type: "string" },
        json: { type: "boolean" },
        "rewrap-only": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stderr.write(USAGE);
    return 0;
  }
  ensureLocalSecrets();
  try {
    await run(parsed.positionals[0], parsed.values as Flags);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`Error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ZodError) {
      process.stderr.write(`Error: ${formatZodIssues(err.issues, "arguments")}\n`);
      return 2;
    }
    if (err instanceof AppError) {
      process.stderr.write(`Error: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await disconnectDb();
    await closeRedis();
  }
}

process.exitCode = await main();
