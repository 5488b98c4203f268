"use client";

import { type ReactNode, useState } from "react";

/**
 * The header's navigation and account controls. From the md breakpoint up they sit inline (the panel is
 * `display: contents`, so its parts are items of the header row). On a phone they fold into a panel
 * under the header row, opened by the Menu button, so nothing overflows the screen. Each control exists
 * once in the page either way.
 */
export function HeaderMenu({ nav, account }: { nav: ReactNode; account: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="partner-menu"
        onClick={() => setOpen((o) => !o)}
        className="order-2 rounded-md border border-current px-3 py-1.5 text-sm font-medium md:hidden"
      >
        {open ? "Close" : "Menu"}
      </button>
      {/* A tap on a link closes the panel (client-side navigation keeps this component mounted). */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the links inside are the interactive elements */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: keyboard activation of a link fires click too */}
      <div
        id="partner-menu"
        onClick={(e) => {
          if ((e.target as HTMLElement).closest("a")) setOpen(false);
        }}
        className={`${open ? "flex" : "hidden"} order-3 w-full flex-col gap-4 border-t border-current/20 pt-3 text-sm md:contents`}
      >
        {nav}
        {account}
      </div>
    </>
  );
}
