"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import { QueryError, Skeleton } from "./query-state";

const KIND_STYLE: Record<string, string> = {
  "appliance.offline": "bg-red-500",
  "trigger.failed": "bg-amber-500",
  "appliance.online": "bg-emerald-500",
};

function useMarkRead() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }),
    }),
  );
}

/** The header's unread count, refreshed every 30 s; links to the Alerts page's unread ones. */
export function NotificationBadge() {
  const trpc = useTRPC();
  const unread = useQuery({ ...trpc.notifications.unreadCount.queryOptions(), refetchInterval: 30_000 });
  const n = unread.data ?? 0;
  // On the brand bar, which keeps its colours in dark mode: the count stays a white pill (paper/ink).
  return (
    <a href="/alerts?read=unread" className="relative hover:underline" data-testid="notification-badge">
      Alerts
      {unread.error && !unread.data ? (
        <span
          className="ml-1.5 rounded-full bg-paper px-1.5 py-0.5 text-xs font-semibold text-ink"
          title="Could not load the unread count"
        >
          ?
        </span>
      ) : (
        n > 0 && <span className="ml-1.5 rounded-full bg-paper px-1.5 py-0.5 text-xs font-semibold text-ink">{n}</span>
      )}
    </a>
  );
}

/** The dashboard's notification list: newest first, unread ones marked, refreshed every 15 s. */
export function NotificationList() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.notifications.list.queryOptions({ limit: 20 }), refetchInterval: 15_000 });
  const markRead = useMarkRead();
  const items = list.data?.items ?? [];
  return (
    <section id="notifications" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
        <h2 className="font-medium">
          Alerts{" "}
          {(list.data?.unread ?? 0) > 0 && (
            <span className="ml-1 text-sm font-normal text-slate-500" data-testid="unread-count">
              {list.data?.unread} unread
            </span>
          )}
        </h2>
        {(list.data?.unread ?? 0) > 0 && (
          <button
            type="button"
            onClick={() => markRead.mutate({})}
            disabled={markRead.isPending}
            className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50"
          >
            Mark all read
          </button>
        )}
      </div>
      {list.error && !list.data ? (
        <QueryError what="alerts" error={list.error} onRetry={() => list.refetch()} updatedAt={list.dataUpdatedAt} />
      ) : !list.data ? (
        <Skeleton rows={3} label="Loading alerts" />
      ) : items.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-slate-500">
          No alerts. You are told here when an appliance goes offline or does not finish what it was asked to do.
        </p>
      ) : (
        <ul>
          {items.map((n) => (
            <li
              key={n.id}
              data-testid="notification"
              className={`flex gap-3 border-t border-slate-100 px-5 py-3 first:border-t-0 ${n.readAt ? "bg-slate-50" : ""}`}
            >
              <span
                className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${n.readAt ? "bg-slate-300" : (KIND_STYLE[n.kind] ?? "bg-slate-500")}`}
              />
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium">
                  {n.siteId ? (
                    <a href={n.actionUrl ?? `/sites/${n.siteId}`} className="hover:underline">
                      {n.title}
                    </a>
                  ) : (
                    n.title
                  )}
                </p>
                <p className="text-sm text-slate-600">{n.body}</p>
              </div>
              <time className="shrink-0 text-xs text-slate-500" dateTime={new Date(n.createdAt).toISOString()}>
                {ago(n.createdAt)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
