"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { authClient } from "@/app/lib/auth-client";

const FIELD =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-500";

/** The email field has focus on arrival; the password can be shown (a toggle that keeps the focus). */
export function SignInForm({ next, branded = false }: { next: string; branded?: boolean }) {
  const [showPassword, setShowPassword] = useState(false);
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error } = await authClient.signIn.email({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    setPending(false);
    if (error) {
      setError(
        error.status === 429
          ? // The server says which limit was hit and for how long (sign-in-limiter.ts).
            error.message || "Too many sign-in attempts. Wait a minute and try again."
          : error.status === 401 || error.status === 400
            ? "Wrong email or password."
            : "Sign-in failed. Check your connection and try again.",
      );
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4">
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          // biome-ignore lint/a11y/noAutofocus: the page exists to type into this field
          autoFocus
          className={FIELD}
        />
      </label>
      <div>
        <div className="flex items-baseline justify-between gap-2">
          <label htmlFor="sign-in-password" className="text-sm font-medium text-slate-700">
            Password
          </label>
          {/* Its name stays "Show password"; aria-pressed says whether it is shown. Not a <label>, so the
              field keeps the one name "Password". */}
          <button
            type="button"
            aria-pressed={showPassword}
            onClick={() => setShowPassword((v) => !v)}
            className="rounded px-1 text-sm font-medium text-blue-700 underline-offset-2 hover:underline focus:outline-none focus:ring-2 focus:ring-blue-500 aria-pressed:text-slate-900"
          >
            Show password
          </button>
        </div>
        <input
          id="sign-in-password"
          name="password"
          type={showPassword ? "text" : "password"}
          autoComplete="current-password"
          required
          className={FIELD}
        />
      </div>
      {error && (
        <p role="alert" data-testid="sign-in-error" className="rounded-md bg-red-50 p-3 text-sm text-red-700">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className={`w-full rounded-md px-4 py-2 font-medium focus:outline-none focus:ring-2 focus:ring-blue-500 focus:ring-offset-2 focus:ring-offset-white disabled:opacity-60 ${
          branded
            ? "bg-[var(--brand)] text-[var(--brand-contrast)] hover:opacity-90"
            : "bg-slate-900 text-white hover:bg-slate-700"
        }`}
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
