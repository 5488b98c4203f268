import { safeReturnPath } from "./safe-return-path";
import { SignInForm } from "./sign-in-form";

export const metadata = { title: "Sign in · OsirisCare Central Command" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; error?: string }>;
}) {
  const { next, error } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-500">OsirisCare Central Command</p>
        {error === "not-a-partner" && (
          <p className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            This account is not a partner account. Platform admins use the admin tools.
          </p>
        )}
        <SignInForm next={safeReturnPath(next)} />
      </div>
    </main>
  );
}
