"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The header's page links; the one for the current page (or a page under it) is marked aria-current="page". */
export function NavLinks({ links }: { links: { href: string; label: string }[] }) {
  const pathname = usePathname() ?? "";
  return (
    <nav
      aria-label="Main"
      className="flex flex-col gap-3 font-medium md:order-5 md:w-full md:min-w-0 md:flex-row md:flex-wrap md:gap-x-5 md:gap-y-1 md:border-t md:border-current/20 md:pt-3"
    >
      {links.map((l) => {
        const current = pathname === l.href || pathname.startsWith(`${l.href}/`);
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={current ? "page" : undefined}
            className={`whitespace-nowrap hover:underline ${current ? "underline decoration-2 underline-offset-4" : ""}`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
