"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { authClient } from "@/app/lib/auth-client";
import { useFocusFirstInvalid } from "@/app/lib/focus-invalid";
import { useTRPC } from "@/app/providers";
import { MIN_PASSWORD_LENGTH } from "@/server/contracts/users";

/** Sets the password with the link, then signs in with it; if sign-in fails, the password is set anyway. */
export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.invites.accept.mutationOptions());
  const [mismatch, setMismatch] = useState(false);
  const [signInFailed, setSignInFailed] = useState(false);
  const [refusals, setRefusals] = useState(0);
  const formRef = useFocusFirstInvalid<HTMLFormElement>(refusals);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setMismatch(true);
      setRefusals((n) => n + 1);
      return;
    }
    setMismatch(false);
    const done = await accept.mutateAsync({ token, password }).catch(() => null);
    if (!done) {
      setRefusals((n) => n + 1);
      return;
    }
    const { error } = await authClient.signIn.email({ email: done.email, password });
    if (error) {
      setSignInFailed(true);
      return;
    }
    router.replace("/dashboard");
    router.refresh();
  }

  if (signInFailed) {
    return (
      <p data-testid="invite-done" className="mt-6 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
        Your password is set.{" "}
        <Link href="/sign-in" className="font-medium underline">
          Sign in
        </Link>{" "}
        with {email}.
      </p>
    );
  }

  const input =
    "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-blue-500 focus:outline-none focus:ring-1 focus:ring-blue-500";
  const fieldErrors = accept.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const passwordRule = fieldErrors?.password?.[0];
  const apiError = passwordRule ? `The password ${passwordRule}.` : accept.error?.message;
  // The error names the field it is about: the repeat when the two differ, the password when the server
  // refused it (other refusals, an expired link, are about no field).
  const invalid = (field: boolean, describedBy?: string) =>
    field
      ? { "aria-invalid": true as const, "aria-describedby": [describedBy, "invite-error"].filter(Boolean).join(" ") }
      : { "aria-describedby": describedBy };
  return (
    <form ref={formRef} onSubmit={onSubmit} className="mt-6 space-y-4">
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Email</span>
        <input
          name="email"
          type="email"
          value={email}
          readOnly
          autoComplete="username"
          className={`${input} bg-slate-50`}
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">New password</span>
        <input
          name="password"
          type="password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={128}
          autoComplete="new-password"
          {...invalid(!mismatch && Boolean(passwordRule), "password-rule")}
          className={input}
        />
        <span id="password-rule" className="mt-1 block text-xs text-slate-500">
          At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong one.
        </span>
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Repeat the password</span>
        <input
          name="confirm"
          type="password"
          required
          autoComplete="new-password"
          {...invalid(mismatch)}
          className={input}
        />
      </label>
      {(mismatch || apiError) && (
        <p
          id="invite-error"
          role="alert"
          data-testid="invite-error"
          className="rounded-md bg-red-50 p-3 text-sm text-red-700"
        >
          {mismatch ? "The two passwords differ. Type the same password twice." : apiError}
        </p>
      )}
      <button
        type="submit"
        disabled={accept.isPending}
        className="w-full rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
      >
        {accept.isPending ? "Setting password…" : "Set password and sign in"}
      </button>
    </form>
  );
}
