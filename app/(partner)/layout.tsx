import { headers } from "next/headers";
import { Fragment, type ReactNode } from "react";
import { brandCss } from "@/app/lib/brand-css";
import { partnerCaller, requirePartnerUser } from "@/app/lib/server-session";
import { NONCE_HEADER } from "@/server/http/security-headers";
import { BrandStyle } from "./brand-style";
import { HeaderMenu } from "./header-menu";
import { NavLinks } from "./nav-links";
import { NotificationBadge } from "./notifications";
import { SignOutButton } from "./sign-out-button";

export const dynamic = "force-dynamic";

const HEX = /^#[0-9A-Fa-f]{6}$/;

/** Every partner page: signed-in partner users only, branded with the partner's name and colour. */
export default async function PartnerLayout({ children }: { children: ReactNode }) {
  const user = await requirePartnerUser();
  const branding = await (await partnerCaller()).partner.branding();
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  // The brand colour as CSS variables in a nonce'd <style> (brand-style.tsx), not a style attribute: the
  // CSP allows no inline styles. The colour is validated as #RRGGBB, so nothing else reaches the stylesheet.
  const brand = HEX.test(branding.primaryColor) ? branding.primaryColor : "#334155";
  // Text and links in the brand colour use --brand-text: the colour darkened (lightened in dark mode) until it
  // reads at 4.5:1 on the page.
  const links = [
    { href: "/dashboard", label: "Dashboard" },
    { href: "/sites", label: "Sites" },
    { href: "/appliances", label: "Appliances" },
    { href: "/alerts", label: "Alerts" },
    { href: "/provision-codes", label: "Provision codes" },
    { href: "/users", label: "Users" },
    { href: "/compliance-settings", label: "Settings" },
    ...(user.role === "partner_admin"
      ? [
          { href: "/api-tokens", label: "API tokens" },
          { href: "/activity", label: "Activity" },
        ]
      : []),
  ];
  return (
    <div data-brand-scope="" className="min-h-screen">
      <BrandStyle css={brandCss(brand)} nonce={nonce} />
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-4 py-2 font-medium text-slate-900 shadow focus:not-sr-only focus:absolute focus:left-4 focus:top-3"
      >
        Skip to content
      </a>
      <header data-testid="brand-bar" className="bg-[var(--brand)] text-[var(--brand-contrast)] print:hidden">
        {/* From md up two rows: the brand, alerts and the account on the first, the page links on their own
            second row, so a long email and the admin's full set of links never squeeze each other. */}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-3 px-4 py-3 md:px-6 md:py-4">
          <div className="order-1 min-w-0 flex-1">
            <p className="truncate text-lg font-semibold" data-testid="brand-name">
              {branding.brandName}
            </p>
            <p className="truncate text-xs">Compliance appliances · powered by OsirisCare</p>
          </div>
          <div className="order-2 text-sm md:order-3">
            <NotificationBadge />
          </div>
          <HeaderMenu
            nav={<NavLinks links={links} />}
            account={
              <div className="flex min-w-0 items-center justify-between gap-4 text-sm md:order-4 md:max-w-[60%] md:justify-end">
                {/* Wraps rather than truncates: the whole address is always on screen. */}
                <span className="min-w-0 [overflow-wrap:anywhere]" title={user.email} data-testid="user-email">
                  <BreakableEmail email={user.email} />
                </span>
                <SignOutButton partnerSlug={branding.slug} />
              </div>
            }
          />
        </div>
      </header>
      {/* On a phone a wide table scrolls inside main instead of pushing the page sideways. */}
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto max-w-6xl overflow-x-auto px-4 py-6 md:px-6 md:py-8 focus:outline-none"
      >
        {children}
      </main>
    </div>
  );
}

/** An email that, when it must wrap, wraps before the @ and after a dot rather than mid-word (<wbr> adds no text). */
function BreakableEmail({ email }: { email: string }) {
  const at = email.lastIndexOf("@");
  const parts = (at > 0 ? [email.slice(0, at), email.slice(at)] : [email]).flatMap((part) => part.split(/(?<=\.)/));
  return parts.map((part, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string, in order, never reordered
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}
