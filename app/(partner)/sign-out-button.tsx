"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/app/lib/auth-client";

/** Signs out, back to the partner's own branded sign-in (`/sign-in?partner=<slug>`, safe for any stored slug). */
export function SignOutButton({ partnerSlug }: { partnerSlug: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await authClient.signOut();
        router.replace(`/sign-in?partner=${encodeURIComponent(partnerSlug)}`);
        router.refresh();
      }}
      className="whitespace-nowrap rounded-md border border-current px-3 py-1.5 font-medium hover:bg-paper/10 disabled:opacity-60"
    >
      Sign out
    </button>
  );
}
