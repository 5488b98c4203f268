"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/providers";
import { QueryError, Skeleton } from "../../query-state";

const ACCESS_PAGE = 25;

/** Who received the site's credentials: one row per appliance · credential · hour, newest first, paged. */
export function AccessLog({ siteId, names }: { siteId: string; names: Map<string, string> }) {
  const trpc = useTRPC();
  // The cursors that led to the page shown; none for the first page.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    ...trpc.sites.credentialAccess.queryOptions({ siteId, limit: ACCESS_PAGE, ...(cursor ? { cursor } : {}) }),
    // The first page follows new check-ins; an older page stays put while it is read.
    refetchInterval: cursor ? false : 5_000,
    placeholderData: keepPreviousData,
  });
  const rows = page.data?.access ?? [];
  const next = page.data?.nextCursor ?? null;
  const time = (iso: string) => new Date(iso).toLocaleTimeString();

  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="border-b border-slate-200 px-5 py-3">
        <h2 className="font-medium">Credential access log</h2>
        <p className="text-xs text-slate-500">Every release of a credential to an appliance, counted per hour.</p>
      </div>
      {page.error && (
        <QueryError
          what="the access log"
          error={page.error}
          onRetry={() => page.refetch()}
          updatedAt={page.dataUpdatedAt}
        />
      )}
      {!page.data ? (
        page.error ? null : (
          <Skeleton rows={3} label="Loading the access log" />
        )
      ) : rows.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-slate-500">
          No credential has been released to an appliance yet.
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways on a phone must take the keyboard focus (axe scrollable-region-focusable)
        <section className="overflow-x-auto" tabIndex={0} aria-label="Credential access log table">
          <table className="w-full text-left text-sm" data-testid="access-log">
            <thead className="text-slate-500">
              <tr>
                <th className="px-5 py-2 font-medium">When</th>
                <th className="px-5 py-2 font-medium">Credential</th>
                <th className="px-5 py-2 font-medium">Released to</th>
                <th className="px-5 py-2 text-right font-medium">Times</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={`${r.applianceId} ${r.credentialId} ${r.firstReleasedAt}`}
                  data-testid="access-row"
                  className="border-t border-slate-100"
                >
                  <td className="px-5 py-2 text-slate-600">
                    {new Date(r.firstReleasedAt).toLocaleDateString()} {time(r.firstReleasedAt)}
                    {r.count > 1 && ` – ${time(r.lastReleasedAt)}`}
                  </td>
                  <td className="px-5 py-2">{names.get(r.credentialId) ?? "(deleted credential)"}</td>
                  <td className="px-5 py-2 font-mono text-xs">{r.applianceId}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {(cursor || next) && (
        <div className="flex justify-end gap-2 border-t border-slate-200 px-5 py-3">
          <button
            type="button"
            disabled={!cursor}
            onClick={() => setCursors((c) => c.slice(0, -1))}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium disabled:opacity-40"
          >
            Newer
          </button>
          <button
            type="button"
            disabled={!next}
            onClick={() => next && setCursors((c) => [...c, next])}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium disabled:opacity-40"
          >
            Older
          </button>
        </div>
      )}
    </section>
  );
}
