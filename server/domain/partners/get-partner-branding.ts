import type { PartnerBranding } from "@/server/contracts";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";

/** The white-label branding of the caller's own partner. */
export async function getPartnerBranding(db: Db, partnerId: string): Promise<PartnerBranding> {
  const partner = await db.partner.findUnique({
    where: { id: partnerId },
    select: { slug: true, brandName: true, primaryColor: true },
  });
  if (!partner) throw notFound("Partner not found.");
  return { slug: partner.slug, brand_name: partner.brandName, primary_color: partner.primaryColor };
}
