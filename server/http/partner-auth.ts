/**
 * Partner callers of REST routes that a signed-in person may also use from the browser: a partner API
 * token (`Authorization: Bearer occ_pat_…`) or the better-auth session cookie. A token's scope plays the role
 * (full = partner admin, read = read-only); a session carries the user's role, re-read from the database.
 *
 * A cookie rides along with any request the browser makes, so a state-changing request authenticated by the
 * session must come from one of our origins (Origin header, when the browser sends one) and carry a JSON
 * body (a cross-site HTML form cannot send `application/json` without a CORS preflight, which we never allow).
 * better-auth is loaded only when a request comes with a cookie: every route module imports route(), and the
 * check-in's module is also loaded by scripts/serve.ts outside Next.
 */
import { PARTNER_ADMIN_ONLY_MESSAGE } from "@/server/auth/messages";
import { db } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { authenticatePartnerToken } from "@/server/domain/tokens/authenticate-partner-token";
import { PARTNER_TOKEN_PREFIX } from "@/server/domain/tokens/mint-partner-token";
import { forbidden, unauthorized } from "@/server/errors";
import type { TokenScope } from "@/server/generated/prisma/client";
import { parseBearer } from "./bearer";

export type PartnerPrincipal = {
  kind: "partner";
  partnerId: string;
  /** A partner admin, or a full-scope token. */
  isAdmin: boolean;
  actor: Actor;
  /** For people: the user's email, or the token's name and prefix. */
  label: string;
};

type Headerish = { method: string; header(name: string): string | null };

/** Whether this bearer is a partner API token (appliance keys never carry the prefix). */
export function isPartnerTokenBearer(authorization: string | null): boolean {
  return parseBearer(authorization)?.startsWith(PARTNER_TOKEN_PREFIX) ?? false;
}

export async function authenticatePartner(
  req: Headerish,
  scope: TokenScope,
  ip: string | null,
): Promise<PartnerPrincipal> {
  const authorization = req.header("authorization");
  if (authorization) {
    const token = await authenticatePartnerToken(db(), authorization, scope);
    return {
      kind: "partner",
      partnerId: token.partnerId,
      isAdmin: token.scope === "full",
      actor: { actorType: "partner_token", actorId: token.tokenId, ip },
      label: token.label,
    };
  }
  const cookie = req.header("cookie");
  const user = cookie ? await (await import("@/server/auth/session")).getSessionUser(new Headers({ cookie })) : null;
  if (!user) throw unauthorized("Sign in, or send a partner API token as 'Authorization: Bearer <token>'.");
  if (!user.partnerId || (user.role !== "partner_admin" && user.role !== "partner_technician")) {
    throw forbidden("This is for partner accounts.");
  }
  if (req.method !== "GET" && req.method !== "HEAD")
    assertSameOriginJson(req, (await import("@/server/auth/auth")).trustedOrigins());
  return {
    kind: "partner",
    partnerId: user.partnerId,
    isAdmin: user.role === "partner_admin",
    actor: { actorType: "user", actorId: user.id, ip },
    label: user.email,
  };
}

function assertSameOriginJson(req: Headerish, trusted: string[]): void {
  const origin = req.header("origin");
  if (origin && !trusted.includes(origin)) {
    throw forbidden("This request came from another site; make it from Central Command itself.");
  }
  if (!(req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw forbidden("Send the request body as application/json.");
  }
}

/** Partner admins (or full tokens) only; technicians get the same answer as in the UI. */
export function requirePartnerAdmin(p: PartnerPrincipal): void {
  if (!p.isAdmin) throw forbidden(PARTNER_ADMIN_ONLY_MESSAGE);
}
