import Link from "next/link";
import { createCaller } from "@/server/api/root";
import { createContextInner } from "@/server/api/trpc";
import { AcceptInviteForm } from "./accept-invite-form";

// The token is in the URL: never send it on as a Referer.
export const metadata = { title: "Set your password · OsirisCare Central Command", referrer: "no-referrer" as const };

/** Public: the one-time link itself is the credential (server/domain/users/accept-user-link.ts). */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const info = await createCaller(createContextInner({ user: null })).invites.get({ token: token.slice(0, 200) });
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        {info.state === "valid" ? (
          <>
            <h1 className="text-xl font-semibold">
              {info.kind === "invite" ? `Welcome to ${info.partnerName}` : "Choose a new password"}
            </h1>
            <p className="mt-2 text-sm text-slate-600">
              {info.kind === "invite"
                ? `${info.name}, you have been invited to OsirisCare Central Command. Choose a password to finish setting up your account.`
                : `Set a new password for your ${info.partnerName} account. You will be signed out everywhere else.`}
            </p>
            <AcceptInviteForm token={token} email={info.email} />
            <p className="mt-4 text-xs text-slate-500">
              This link works once, until {new Date(info.expiresAt).toUTCString()}.
            </p>
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold">This link cannot be used</h1>
            <p
              data-testid="invite-problem"
              role="alert"
              className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-800"
            >
              {info.message}
            </p>
            <Link href="/sign-in" className="mt-6 inline-block font-medium text-slate-900 underline">
              Go to sign-in
            </Link>
          </>
        )}
      </div>
    </main>
  );
}
