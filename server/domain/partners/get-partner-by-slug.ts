import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";

/** Platform-admin lookup (CLI). Partner-facing code never resolves partners by slug. */
export async function getPartnerBySlug(db: Db, slug: string) {
  const partner = await db.partner.findUnique({ where: { slug }, select: { id: true, slug: true, brandName: true } });
  if (!partner) throw notFound(`No partner with slug "${slug}".`);
  return partner;
}
