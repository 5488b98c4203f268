"use client";

import { useEffect, useState } from "react";
import { ago } from "@/app/lib/time";

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

/**
 * The current time, ticking every `everyMs`, so "12 s ago" stays true without a reload. Null until the
 * page is mounted: a time drawn on the server would not match the browser's and break hydration.
 */
export function useNow(everyMs = 5_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** "Updated 12 s ago" for a query's last successful load (`updatedAt` 0: never loaded). */
export function UpdatedAgo({ updatedAt, testId }: { updatedAt: number; testId?: string }) {
  const now = useNow();
  if (!updatedAt || now === null) return null;
  return (
    <time data-testid={testId} dateTime={new Date(updatedAt).toISOString()} className="text-xs text-slate-600">
      Updated {ago(new Date(updatedAt), Math.max(now, updatedAt))}
    </time>
  );
}

/** What a failure says in words: the network, the server, or the server's own reason. */
export function errorReason(error: { message: string; data?: { httpStatus?: number } | null }): string {
  const status = error.data?.httpStatus;
  if (!status && /fetch|network|load failed/i.test(error.message)) return "the server could not be reached.";
  if (status && status >= 500) return `the server had a problem (${status}). Try again in a moment.`;
  if (/^Unexpected token|JSON/.test(error.message)) return "the server sent an answer that could not be read.";
  return error.message;
}

/**
 * A failed query: what failed, the reason in words, a Retry that refetches, and when it last loaded
 * (`updatedAt`, the query's dataUpdatedAt; 0 when it never did).
 */
export function QueryError({
  what,
  error,
  onRetry,
  updatedAt = 0,
}: {
  what: string;
  error: { message: string; data?: { httpStatus?: number } | null };
  onRetry: () => void;
  updatedAt?: number;
}) {
  return (
    <div role="alert" data-testid="query-error" className="flex flex-wrap items-center gap-3 px-5 py-4 text-sm">
      <p className="min-w-0 flex-1 break-words text-red-700">
        Could not load {what}: {errorReason(error)}
        {updatedAt > 0 && (
          <span className="block text-xs text-slate-600">Last updated {new Date(updatedAt).toLocaleTimeString()}.</span>
        )}
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
