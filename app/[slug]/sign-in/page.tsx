import type { Metadata } from "next";
import SignInPage, { generateMetadata as signInMetadata } from "@/app/sign-in/page";

type Params = Promise<{ slug: string }>;
type Search = Promise<{ next?: string | string[]; error?: string | string[] }>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The query the plain route reads, with the slug from the path (never one from the query). */
async function asQuery(params: Params, searchParams: Search) {
  const [{ slug }, search] = await Promise.all([params, searchParams]);
  return { partner: slug, next: first(search.next), error: first(search.error) };
}

export async function generateMetadata({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Search;
}): Promise<Metadata> {
  return signInMetadata({ searchParams: asQuery(params, searchParams) });
}

/**
 * /<slug>/sign-in: the partner's branded sign-in, the same page as /sign-in?partner=<slug> at a URL a partner
 * can hand to its staff. Rendered, not redirected, so the address stays the partner's. Static routes win over
 * this one (`/sites/sign-in` is still the sites page), and slugs equal to a top-level route are refused at
 * creation (RESERVED_PARTNER_SLUGS). An unknown or malformed slug gets the plain OsirisCare page with 200, as
 * the query form does: a typo in a bookmark still signs in, and the page says nothing about which partners
 * exist beyond the brand a partner's own sign-in shows anyway. `next` goes through the same safeReturnPath.
 */
export default async function PartnerSignInPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  return SignInPage({ searchParams: asQuery(params, searchParams) });
}
