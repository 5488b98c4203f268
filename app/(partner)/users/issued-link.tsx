"use client";

import { CopyButton } from "../copy-button";

export type IssuedLink = {
  title: string;
  inviteUrl: string;
  expiresAt: string;
};

/**
 * A freshly issued one-time link, shown once: this machine sends no mail, so the admin hands it over
 * (chat, phone, in person). Anyone holding it can set the account's password until it is used or expires.
 */
export function IssuedLinkPanel({ link, onDone }: { link: IssuedLink; onDone: () => void }) {
  return (
    <section
      data-testid="issued-link"
      aria-labelledby="issued-link-title"
      className="space-y-3 rounded-xl border-2 border-[var(--brand)] bg-white p-6"
    >
      <h2 id="issued-link-title" className="font-medium">
        {link.title}
      </h2>
      <p
        data-testid="invite-url"
        data-url={link.inviteUrl}
        className="break-all rounded-md bg-slate-100 p-3 font-mono text-sm"
      >
        {link.inviteUrl}
      </p>
      <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">
        This is the only time the link is shown. Give it to the person directly; it works once, until{" "}
        {new Date(link.expiresAt).toLocaleString()}. Issuing a new link makes this one stop working.
      </p>
      <div className="flex gap-3">
        <CopyButton
          text={link.inviteUrl}
          className="rounded-md bg-[var(--brand)] px-4 py-2 font-medium text-[var(--brand-contrast)]"
        />
        <button
          type="button"
          onClick={onDone}
          className="rounded-md px-4 py-2 font-medium text-slate-600 hover:bg-slate-100"
        >
          Done
        </button>
      </div>
    </section>
  );
}
