import type { Db } from "@/server/db";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;
const HEX = /^#[0-9A-Fa-f]{6}$/;

export type SignInBrand = { brandName: string; color: string };

/**
 * The public branding of a partner's sign-in page (/sign-in?partner=<slug>): its name and colour, or null
 * for a malformed or unknown slug, which then gets the plain page (no error, nothing else about the partner).
 */
export async function getSignInBrand(db: Db, slug: string | undefined): Promise<SignInBrand | null> {
  if (!slug || !SLUG.test(slug)) return null;
  const partner = await db.partner.findUnique({ where: { slug }, select: { brandName: true, primaryColor: true } });
  if (!partner) return null;
  return { brandName: partner.brandName, color: HEX.test(partner.primaryColor) ? partner.primaryColor : "#334155" };
}
