"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { QueryError, Skeleton } from "./query-state";

/** The part of a React Query result a list body reads. */
type ListQuery<T> = {
  data: T | undefined;
  error: { message: string; data?: { httpStatus?: number } | null } | null;
  isFetching: boolean;
  dataUpdatedAt: number;
  refetch: () => unknown;
};

/**
 * What a loaded page holds: its rows, the server's total when it counts one, the page number, and `nothing`
 * when the list is empty whatever the filters (compliance before its first scan); by default a list has
 * nothing when it has no rows on page 1 and no filter is set.
 */
export type ListCount = { rows: number; page: number; total?: number; nothing?: boolean };

const NOTE = "px-5 py-6 text-center text-sm text-slate-600";
const ACTION = "text-[var(--brand-text)] underline";

/**
 * The states every list of the partner console goes through, kept apart: loading (a skeleton, first load
 * only: a page change keeps the rows until the next arrive), error (the reason in words, Retry, when it last
 * loaded), nothing yet (`empty`), no match for the filters (`noMatch` with Clear filters), a page past the end
 * (`offPage` with First page), and the rows (`children`). `testId` marks the empty and no-match messages
 * (`noMatchTestId` when no-match has its own). `keepOnError`: a failed refresh keeps the rows on screen (the
 * caller says so near its "updated" time) instead of replacing them with the error.
 */
export function ListBody<T>(props: {
  query: ListQuery<T>;
  /** "alerts": "Could not load alerts", "Loading alerts". */
  what: string;
  skeletonRows?: number;
  keepOnError?: boolean;
  count: (data: T) => ListCount;
  filtered: boolean;
  empty: ReactNode;
  noMatch: ReactNode;
  offPage: ReactNode;
  /** Clear filters: a link to the list's plain URL, or a handler that resets the filters. */
  clearFilters?: string | (() => void);
  onFirstPage: () => void;
  testId?: string;
  noMatchTestId?: string;
  className?: string;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  return (
    <div aria-busy={query.isFetching} className={props.className}>
      {query.error && !(props.keepOnError && query.data !== undefined) ? (
        <QueryError
          what={props.what}
          error={query.error}
          onRetry={() => query.refetch()}
          updatedAt={query.dataUpdatedAt}
        />
      ) : query.data === undefined ? (
        <Skeleton rows={props.skeletonRows ?? 3} label={`Loading ${props.what}`} />
      ) : (
        <Loaded {...props} data={query.data} />
      )}
    </div>
  );
}

function Loaded<T>(props: Parameters<typeof ListBody<T>>[0] & { data: T }) {
  const c = props.count(props.data);
  if (c.rows > 0 && !c.nothing) return props.children(props.data);
  if (!c.nothing && c.page > 1 && (c.total === undefined || c.total > 0)) {
    return (
      <p className={NOTE}>
        {props.offPage}{" "}
        <button type="button" onClick={props.onFirstPage} className={ACTION}>
          First page
        </button>
      </p>
    );
  }
  if (c.nothing || !props.filtered) {
    return typeof props.empty === "string" ? (
      <p data-testid={props.testId} className={NOTE}>
        {props.empty}
      </p>
    ) : (
      <div data-testid={props.testId} className={NOTE}>
        {props.empty}
      </div>
    );
  }
  const clear = props.clearFilters;
  return (
    <p className={NOTE}>
      <span data-testid={props.noMatchTestId ?? props.testId}>{props.noMatch}</span>
      {clear !== undefined && " "}
      {typeof clear === "string" ? (
        <Link href={clear} className={ACTION}>
          Clear filters
        </Link>
      ) : (
        clear && (
          <button type="button" onClick={clear} className={ACTION}>
            Clear filters
          </button>
        )
      )}
    </p>
  );
}
