"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import { complianceControl } from "@/server/contracts/compliance-controls";
import { QueryError, Skeleton } from "../../query-state";
import { STATUS_LOOK } from "./compliance-status";

const PAGE = 10;
const REFRESH_MS = 5_000;

/**
 * The drift timeline: every change of a host's control status, newest first, a page at a time by the
 * server's cursor (sites.complianceDrift); "Show older" fetches the next page. Refreshes on its own, so a
 * drift from a scan arriving now appears at the top.
 */
export function ComplianceDrift({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const drift = useInfiniteQuery({
    ...trpc.sites.complianceDrift.infiniteQueryOptions(
      { siteId, limit: PAGE },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
    refetchInterval: REFRESH_MS,
  });
  const events = drift.data?.pages.flatMap((p) => p.drift) ?? [];
  return (
    <div className="border-t border-slate-200" data-testid="compliance-drift">
      <h3 id="drift-heading" className="px-5 pt-4 text-sm font-medium text-slate-700">
        Changes
      </h3>
      {drift.error && !drift.data ? (
        <QueryError what="the changes" error={drift.error} onRetry={() => drift.refetch()} />
      ) : !drift.data ? (
        <Skeleton rows={2} label="Loading the changes" />
      ) : events.length === 0 ? (
        <p data-testid="drift-empty" className="px-5 py-3 text-sm text-slate-600">
          No changes yet: a control that passes after failing, or fails after passing, is listed here.
        </p>
      ) : (
        <>
          <ol aria-labelledby="drift-heading" className="divide-y divide-slate-100 px-5 py-2 text-sm">
            {events.map((e) => (
              <li
                key={e.id}
                data-testid="drift-event"
                className="flex flex-wrap items-baseline justify-between gap-x-3 py-2"
              >
                <span className="min-w-0 break-all">
                  <span className="font-medium">{e.hostname}</span> {complianceControl(e.check).name}{" "}
                  <span className={e.to === "fail" ? "font-medium text-red-800" : "text-slate-700"}>
                    {STATUS_LOOK[e.from].label.toLowerCase()} → {STATUS_LOOK[e.to].label.toLowerCase()}
                  </span>
                  {e.observed && <span className="text-slate-600"> (observed {e.observed})</span>}
                </span>
                <time
                  dateTime={e.checkedAt}
                  title={new Date(e.checkedAt).toLocaleString()}
                  className="text-xs text-slate-600"
                >
                  {ago(e.checkedAt)}
                </time>
              </li>
            ))}
          </ol>
          {drift.hasNextPage && (
            <div className="px-5 pb-4">
              <button
                type="button"
                onClick={() => drift.fetchNextPage()}
                disabled={drift.isFetchingNextPage}
                className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50"
              >
                {drift.isFetchingNextPage ? "Loading…" : "Show older changes"}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
