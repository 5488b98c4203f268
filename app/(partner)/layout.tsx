import Link from "next/link";
import type { CSSProperties, ReactNode } from "react";
import { contrastText } from "@/app/lib/color";
import { partnerCaller, requirePartnerUser } from "@/app/lib/server-session";
import { NotificationBadge } from "./notifications";
import { SignOutButton } from "./sign-out-button";

export const dynamic = "force-dynamic";

/** Every partner page: signed-in partner users only, branded with the partner's name and colour. */
export default async function PartnerLayout({ children }: { children: ReactNode }) {
  const user = await requirePartnerUser();
  const branding = await (await partnerCaller()).partner.branding();
  const style = {
    "--brand": branding.primary_color,
    "--brand-contrast": contrastText(branding.primary_color),
  } as CSSProperties;
  return (
    <div style={style} className="min-h-screen">
      <header data-testid="brand-bar" className="bg-[var(--brand)] text-[var(--brand-contrast)] print:hidden">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
          <div className="flex items-center gap-10">
            <div>
              <p className="text-lg font-semibold" data-testid="brand-name">
                {branding.brand_name}
              </p>
              <p className="text-xs opacity-80">Compliance appliances · powered by OsirisCare</p>
            </div>
            <nav className="flex gap-5 text-sm font-medium print:hidden">
              <Link href="/dashboard" className="hover:underline">
                Dashboard
              </Link>
              <Link href="/sites" className="hover:underline">
                Sites
              </Link>
              <Link href="/provision-codes" className="hover:underline">
                Provision codes
              </Link>
              {user.role === "partner_admin" && (
                <Link href="/api-tokens" className="hover:underline">
                  API tokens
                </Link>
              )}
            </nav>
          </div>
          <div className="flex items-center gap-4 text-sm">
            <NotificationBadge />
            <span className="opacity-90" data-testid="user-email">
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
