"use client";

import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTRPC } from "@/app/providers";
import type { IssuedLink } from "./issued-link";

/** Partner admins only: email, name and role; the answer is the one-time link, handed to the parent to show. */
export function InviteForm({ onInvited }: { onInvited: (link: IssuedLink) => void }) {
  const trpc = useTRPC();
  const invite = useMutation(trpc.users.invite.mutationOptions());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const result = await invite
      .mutateAsync({
        email: String(form.get("email") ?? ""),
        name: String(form.get("name") ?? ""),
        role: form.get("role") === "partner_admin" ? "partner_admin" : "partner_technician",
      })
      .catch(() => null); // shown below from invite.error
    if (!result) return;
    formEl.reset();
    onInvited({
      title: `Invitation for ${result.user.name} (${result.user.email})`,
      inviteUrl: result.inviteUrl,
      expiresAt: result.expiresAt,
    });
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <form
      onSubmit={onSubmit}
      data-testid="invite-form"
      aria-label="Invite a user"
      className="grid grid-cols-1 items-end gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:grid-cols-[1fr_1fr_auto_auto]"
    >
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Email</span>
        <input name="email" type="email" required maxLength={254} placeholder="tech@example.com" className={input} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Name</span>
        <input name="name" required maxLength={100} placeholder="Dana Reyes" className={input} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Role</span>
        <select name="role" defaultValue="partner_technician" className={input}>
          <option value="partner_technician">Technician</option>
          <option value="partner_admin">Partner admin</option>
        </select>
      </label>
      <button
        type="submit"
        disabled={invite.isPending}
        className="rounded-md bg-[var(--brand)] px-4 py-2 font-medium text-[var(--brand-contrast)] disabled:opacity-60"
      >
        {invite.isPending ? "Inviting…" : "Invite"}
      </button>
      {invite.error && (
        <p role="alert" className="text-sm text-red-700 sm:col-span-4">
          {invite.error.message}
        </p>
      )}
    </form>
  );
}
