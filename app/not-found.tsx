import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="flex gap-4">
        <Link href="/sites" className="text-blue-700 underline">
          Back to Sites
        </Link>
        <Link href="/dashboard" className="text-blue-700 underline">
          Go to your dashboard
        </Link>
      </p>
    </main>
  );
}
