"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useFocusFirstInvalid } from "@/app/lib/focus-invalid";
import { useTRPC } from "@/app/providers";
import type { IssuedLink } from "./issued-link";

/** Partner admins only: email, name and role; the answer is the one-time link, handed to the parent to show. */
export function InviteForm({ onInvited }: { onInvited: (link: IssuedLink) => void }) {
  const trpc = useTRPC();
  const invite = useMutation(trpc.users.invite.mutationOptions());
  const [refusals, setRefusals] = useState(0);
  const formRef = useFocusFirstInvalid<HTMLFormElement>(refusals);

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
    if (!result) {
      setRefusals((n) => n + 1);
      return;
    }
    formEl.reset();
    onInvited({
      title: `Invitation for ${result.user.name} (${result.user.email})`,
      inviteUrl: result.inviteUrl,
      expiresAt: result.expiresAt,
    });
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  // The field the refusal is about: one zod refused, or the email when it is taken (409).
  const fieldErrors = invite.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const invalid = (name: "email" | "name" | "role") =>
    fieldErrors?.[name] || (name === "email" && invite.error?.data?.httpStatus === 409)
      ? { "aria-invalid": true as const, "aria-describedby": "invite-form-error" }
      : {};
  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      data-testid="invite-form"
      aria-label="Invite a user"
      className="grid grid-cols-1 items-end gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:grid-cols-[1fr_1fr_auto_auto]"
    >
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Email</span>
        <input
          name="email"
          type="email"
          required
          maxLength={254}
          placeholder="tech@example.com"
          {...invalid("email")}
          className={input}
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Name</span>
        <input name="name" required maxLength={100} placeholder="Dana Reyes" {...invalid("name")} className={input} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Role</span>
        <select name="role" defaultValue="partner_technician" {...invalid("role")} className={input}>
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
        <p id="invite-form-error" role="alert" className="text-sm text-red-700 sm:col-span-4">
          {invite.error.message}
        </p>
      )}
    </form>
  );
}
