"use client";

import { ShownOnce } from "../shown-once";

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
    <ShownOnce
      testId="issued-link"
      labelId="issued-link-title"
      heading={
        <h2 id="issued-link-title" className="font-medium">
          {link.title}
        </h2>
      }
      value={link.inviteUrl}
      valueTestId="invite-url"
      valueData={{ "data-url": link.inviteUrl }}
      warning={
        <>
          This is the only time the link is shown. Give it to the person directly; it works once, until{" "}
          {new Date(link.expiresAt).toLocaleString()}. Issuing a new link makes this one stop working.
        </>
      }
      onDone={onDone}
    />
  );
}
