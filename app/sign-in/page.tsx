import type { Metadata } from "next";
import { headers } from "next/headers";
import { BrandStyle } from "@/app/(partner)/brand-style";
import { readableTextOn } from "@/app/lib/readable-text";
import { db } from "@/server/db";
import { getSignInBrand } from "@/server/domain/partners/get-sign-in-brand";
import { NONCE_HEADER } from "@/server/http/security-headers";
import { safeReturnPath } from "./safe-return-path";
import { SignInForm } from "./sign-in-form";

type Search = Promise<{ next?: string; error?: string; partner?: string }>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ searchParams }: { searchParams: Search }): Promise<Metadata> {
  const brand = await getSignInBrand(db(), first((await searchParams).partner));
  return { title: `Sign in · ${brand?.brandName ?? "OsirisCare Central Command"}` };
}

/**
 * Sign-in. `?partner=<slug>` shows that partner's name and colour instead of OsirisCare (an unknown slug
 * shows the plain page). Follows the system's light or dark setting.
 */
export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const brand = await getSignInBrand(db(), first(params.partner));
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  const error = first(params.error);
  return (
    <main data-brand-scope="" className="flex min-h-screen items-center justify-center bg-slate-50 px-4 text-slate-900">
      {brand && (
        <BrandStyle
          css={`[data-brand-scope]{--brand:${brand.color};--brand-contrast:${readableTextOn(brand.color)}}`}
          nonce={nonce}
        />
      )}
      <div className="w-full max-w-sm overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        {brand && (
          <div
            data-testid="sign-in-brand"
            className="bg-[var(--brand)] px-8 py-4 text-lg font-semibold break-words text-[var(--brand-contrast)]"
          >
            {brand.brandName}
          </div>
        )}
        <div className="p-8">
          <h1 className="text-xl font-semibold">Sign in</h1>
          <p data-testid="sign-in-product" className="mt-1 text-sm text-slate-600">
            {brand ? `${brand.brandName} console` : "OsirisCare Central Command"}
          </p>
          {error === "not-a-partner" && (
            <p className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-800">
              This account is not a partner account. Platform admins use the admin tools.
            </p>
          )}
          <SignInForm next={safeReturnPath(first(params.next))} branded={brand !== null} />
          <p className="mt-6 text-xs text-slate-600">Forgot your password? Ask your partner admin for a reset link.</p>
        </div>
      </div>
    </main>
  );
}
