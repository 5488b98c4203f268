/** Real rows through the real service layer, with unique names so tests never collide. */
import { randomBytes } from "node:crypto";
import { createCaller } from "@/server/api/root";
import { createContextInner } from "@/server/api/trpc";
import type { SessionUser } from "@/server/auth/session";
import { db } from "@/server/db";
import { createPartner } from "@/server/domain/partners/create-partner";
import { createUser } from "@/server/domain/users/create-user";
import type { UserRole } from "@/server/generated/prisma/client";

export const PASSWORD = "correct horse battery staple";

export function uniq(prefix = "t"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export async function makePartner(color = "#2563EB") {
  const slug = uniq("msp");
  const result = await createPartner(db(), {
    name: `Partner ${slug}`,
    slug,
    color,
    email: `${slug}@example.test`,
    password: PASSWORD,
  });
  return { ...result, email: `${slug}@example.test` };
}

export async function makeUser(role: UserRole, partnerId: string | null) {
  const email = `${uniq("user")}@example.test`;
  const user = await db().$transaction((tx) =>
    createUser(tx, { email, name: email, password: PASSWORD, role, partnerId }),
  );
  return user;
}

export function sessionUser(user: {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  partnerId: string | null;
}): SessionUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role, partnerId: user.partnerId };
}

export function callerFor(user: SessionUser | null) {
  return createCaller(createContextInner({ user }));
}

export async function makeSiteWithAppliance(partnerId: string, status: "online" | "offline" = "online") {
  const siteId = uniq("site");
  const mac = Array.from(randomBytes(6))
    .map((b) => b.toString(16).padStart(2, "0").toUpperCase())
    .join(":");
  await db().site.create({ data: { id: siteId, partnerId, clientName: `Clinic ${siteId}` } });
  const appliance = await db().appliance.create({
    data: {
      id: `${siteId}-${mac}`,
      siteId,
      macAddress: mac,
      hostname: "osiriscare-appliance",
      apiKeyHash: randomBytes(32).toString("hex"),
      status,
    },
  });
  return { siteId, appliance };
}

/** Calls a Next route handler the way Next does. */
export function callRoute(
  handler: (req: Request, ctx: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>,
  req: Request,
  params: Record<string, string | string[]> = {},
) {
  return handler(req, { params: Promise.resolve(params) });
}

/** A site with one appliance whose API key is known (as after a real claim). */
export async function makeApplianceWithKey(partnerId: string, opts: { publicKey?: string } = {}) {
  const { APPLIANCE_KEY_PURPOSE } = await import("@/server/domain/appliances/authenticate-appliance");
  const { hashSecret } = await import("@/server/domain/security/secrets");
  const { siteId, appliance } = await makeSiteWithAppliance(partnerId, "online");
  const apiKey = randomBytes(24).toString("base64url");
  await db().appliance.update({
    where: { id: appliance.id },
    data: {
      apiKeyHash: hashSecret(apiKey, APPLIANCE_KEY_PURPOSE),
      publicKey: opts.publicKey ?? null,
      lastCheckinAt: new Date(),
    },
  });
  return { siteId, applianceId: appliance.id, apiKey };
}
