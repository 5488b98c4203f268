import { PARTNER_ADMIN_ONLY_MESSAGE } from "@/server/auth/messages";
import { forbidden } from "@/server/errors";
import type { PartnerPrincipal } from "./partner-auth";

/**
 * The activity log is for partner admins: a signed-in technician gets 403. API tokens are minted by
 * admins, so any token (a read token suffices for this GET) reads it.
 */
export function requireActivityReader(p: PartnerPrincipal): void {
  if (p.actor.actorType === "user" && !p.isAdmin) throw forbidden(PARTNER_ADMIN_ONLY_MESSAGE);
}
