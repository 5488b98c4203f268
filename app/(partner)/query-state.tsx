"use client";

/** The two states a query shows before its data: a placeholder while loading, and its error with a Retry. */

/** Grey bars where content will be; `label` is what screen readers hear. */
export function Skeleton({ rows = 3, label }: { rows?: number; label: string }) {
  return (
    <div role="status" aria-label={label} className="space-y-2 px-5 py-4" data-testid="skeleton">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <div key={i} className="h-4 animate-pulse rounded bg-slate-200" style={{ width: `${90 - i * 15}%` }} />
      ))}
    </div>
  );
}

/** A failed query: what failed, the server's reason, and a Retry that refetches. */
export function QueryError({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: { message: string };
  onRetry: () => void;
}) {
  return (
    <div role="alert" data-testid="query-error" className="flex flex-wrap items-center gap-3 px-5 py-4 text-sm">
      <p className="min-w-0 flex-1 break-words text-red-700">
        Could not load {what}: {error.message}
      </p>
      <button
        type="button"
        onClick={onRetry}
        className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50"
      >
        Retry
      </button>
    </div>
  );
}
