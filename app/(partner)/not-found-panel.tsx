import Link from "next/link";

/** A page or record that does not exist (or is not this partner's): a heading, and the ways back. */
export function NotFoundPanel({ what = "page" }: { what?: string }) {
  return (
    <section data-testid="not-found" className="mx-auto max-w-lg space-y-3 py-12 text-center">
      <p className="text-sm font-medium text-slate-600">404</p>
      <h1 className="text-2xl font-semibold">This {what} was not found</h1>
      <p className="text-sm text-slate-600">
        It may have been removed, or the link is wrong. Sites and appliances are only shown to their own partner.
      </p>
      <p className="flex flex-wrap justify-center gap-4 text-sm">
        <Link href="/sites" className="font-medium text-[var(--brand-text)] underline">
          Back to Sites
        </Link>
        <Link href="/dashboard" className="font-medium text-[var(--brand-text)] underline">
          Go to the dashboard
        </Link>
      </p>
    </section>
  );
}
