/**
 * The demo data `npm start` guarantees: partner "NEPA IT Solutions" (nepa-it, #2563EB) with a partner
 * admin and an API token, and a platform admin. Generated credentials are kept in .var/demo.json (0600)
 * so each start prints the same working login; if the database was reset they are re-applied.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/server/db";
import { createPartner } from "@/server/domain/partners/create-partner";
import { hashPassword } from "@/server/domain/security/passwords";
import { hashSecret, randomToken } from "@/server/domain/security/secrets";
import { mintPartnerToken, PARTNER_TOKEN_PURPOSE } from "@/server/domain/tokens/mint-partner-token";
import { createUser } from "@/server/domain/users/create-user";
import { LOCAL_STATE_DIR } from "@/server/local-secrets";

export const DEMO_PARTNER = { name: "NEPA IT Solutions", slug: "nepa-it", color: "#2563EB" } as const;
const DEMO_FILE = path.join(LOCAL_STATE_DIR, "demo.json");

export type DemoCredentials = {
  partnerEmail: string;
  partnerPassword: string;
  apiToken: string;
  adminEmail: string;
  adminPassword: string;
};

function loadDemo(): DemoCredentials | null {
  return existsSync(DEMO_FILE) ? (JSON.parse(readFileSync(DEMO_FILE, "utf8")) as DemoCredentials) : null;
}

async function setPassword(db: Db, email: string, password: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) return false;
  await db.account.updateMany({
    where: { userId: user.id, providerId: "credential" },
    data: { password: await hashPassword(password) },
  });
  return true;
}

export async function seedDemo(db: Db): Promise<DemoCredentials> {
  const saved = loadDemo();
  const creds: DemoCredentials = saved ?? {
    partnerEmail: "demo@nepa-it.example",
    partnerPassword: `demo-${randomToken(9)}`,
    apiToken: "",
    adminEmail: "admin@osiriscare.example",
    adminPassword: `admin-${randomToken(9)}`,
  };

  const partner = await db.partner.findUnique({ where: { slug: DEMO_PARTNER.slug }, select: { id: true } });
  if (!partner) {
    const created = await createPartner(db, {
      ...DEMO_PARTNER,
      email: creds.partnerEmail,
      password: creds.partnerPassword,
    });
    creds.apiToken = created.apiToken;
  } else {
    if (!(await setPassword(db, creds.partnerEmail, creds.partnerPassword))) {
      await db.$transaction((tx) =>
        createUser(tx, {
          email: creds.partnerEmail,
          name: "NEPA IT demo admin",
          password: creds.partnerPassword,
          role: "partner_admin",
          partnerId: partner.id,
        }),
      );
    }
    const known = creds.apiToken
      ? await db.partnerApiToken.findUnique({ where: { tokenHash: hashSecret(creds.apiToken, PARTNER_TOKEN_PURPOSE) } })
      : null;
    if (!known || known.revokedAt || known.partnerId !== partner.id) {
      creds.apiToken = (await mintPartnerToken(db, partner.id, { name: "demo", scope: "full" })).token;
    }
  }

  if (!(await setPassword(db, creds.adminEmail, creds.adminPassword))) {
    await db.$transaction((tx) =>
      createUser(tx, {
        email: creds.adminEmail,
        name: "Platform admin",
        password: creds.adminPassword,
        role: "platform_admin",
        partnerId: null,
      }),
    );
  }

  writeFileSync(DEMO_FILE, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return creds;
}
