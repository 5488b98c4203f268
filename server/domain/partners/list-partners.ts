import type { Db } from "@/server/db";

/** Every partner, oldest first (platform administration: `npm run admin -- partner:list`). */
export async function listPartners(db: Db) {
  const partners = await db.partner.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, slug: true, brandName: true, primaryColor: true },
  });
  return partners.map((p) => ({
    partner_id: p.id,
    slug: p.slug,
    brand_name: p.brandName,
    primary_color: p.primaryColor,
  }));
}
