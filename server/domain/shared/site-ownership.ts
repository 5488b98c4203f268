import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";

/**
 * Tenancy guard: refuses a site that is not this partner's with the same 404 as a site that does not
 * exist, so another partner's ids reveal nothing.
 */
export async function assertPartnerSite(db: Db, partnerId: string, siteId: string): Promise<void> {
  const site = await db.site.findFirst({ where: { id: siteId, partnerId }, select: { id: true } });
  if (!site) throw notFound(`Site "${siteId}" not found.`);
}
