"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import type { DashboardView } from "@/server/contracts/ui/partner";
import { QueryError, Skeleton, UpdatedAgo, useNow } from "../query-state";

/** How often the counts and the appliance table refresh on their own. */
export const DASHBOARD_REFRESH_MS = 15_000;

const STATUS_STYLE: Record<string, string> = {
  online: "bg-emerald-100 text-emerald-800",
  offline: "bg-red-100 text-red-800",
  provisioning: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
};

/** One stat card: the whole card is a link to the list it counts. `value` undefined: loading or failed. */
function Stat({
  label,
  value,
  href,
  testId,
  failed,
}: {
  label: string;
  value: number | undefined;
  href: string;
  testId: string;
  failed: boolean;
}) {
  return (
    <Link
      href={href}
      data-testid={`${testId}-card`}
      className="block min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-[var(--brand)] hover:shadow sm:p-5"
    >
      <span className="block text-sm text-slate-600">{label}</span>
      {value !== undefined ? (
        <span className="mt-2 block text-3xl font-semibold tabular-nums" data-testid={testId}>
          {value}
        </span>
      ) : failed ? (
        <span className="mt-2 block text-3xl font-semibold text-slate-500" data-testid={testId} title="Not loaded">
          –
        </span>
      ) : (
        <span className="mt-3 block h-7 w-12 animate-pulse rounded bg-slate-200" aria-hidden="true" />
      )}
    </Link>
  );
}

function RecentAppliances({ rows, now }: { rows: DashboardView["recentAppliances"]; now: number | null }) {
  if (rows.length === 0)
    return (
      <p data-testid="recent-appliances-empty" className="px-5 py-8 text-center text-sm text-slate-600">
        No appliances yet. Create a{" "}
        <Link href="/provision-codes" className="text-[var(--brand-text)] underline">
          provision code
        </Link>
        , ship the appliance to a clinic, and it appears here when it provisions.
      </p>
    );
  return (
    <table className="w-full table-fixed text-left text-sm">
      <thead className="text-slate-600">
        <tr>
          <th className="w-[38%] px-3 py-2 font-medium sm:px-5">Appliance</th>
          <th className="hidden px-3 py-2 font-medium sm:table-cell sm:px-5">Site</th>
          <th className="w-[28%] px-3 py-2 font-medium sm:w-[18%] sm:px-5">Status</th>
          <th className="w-[34%] px-3 py-2 font-medium sm:w-[20%] sm:px-5">Last check-in</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.id} data-testid="recent-appliance" className="border-t border-slate-100 align-top">
            <td className="px-3 py-2 sm:px-5">
              <span className="block truncate font-mono text-xs" title={a.hostname}>
                {a.hostname}
              </span>
              {/* On a phone the site goes under the hostname instead of its own column. */}
              <Link
                href={`/sites/${encodeURIComponent(a.site.id)}`}
                className="block truncate text-xs text-[var(--brand-text)] hover:underline sm:hidden"
                title={a.site.clientName}
              >
                {a.site.clientName}
              </Link>
            </td>
            <td className="hidden px-3 py-2 sm:table-cell sm:px-5">
              <Link
                href={`/sites/${encodeURIComponent(a.site.id)}`}
                className="block truncate text-[var(--brand-text)] hover:underline"
                title={a.site.clientName}
              >
                {a.site.clientName}
              </Link>
            </td>
            <td className="px-3 py-2 sm:px-5">
              <span
                data-testid="recent-appliance-status"
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.status] ?? ""}`}
              >
                {a.status}
              </span>
            </td>
            <td className="px-3 py-2 text-slate-600 sm:px-5" data-testid="recent-appliance-checkin">
              {now === null
                ? ""
                : ago(a.lastCheckinAt, Math.max(now, a.lastCheckinAt ? new Date(a.lastCheckinAt).getTime() : 0))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The dashboard's counts and recently changed appliances, refreshed every 15 s (and when the window
 * regains focus), with when they were last loaded. `initial` is the server's first answer, if it had one.
 */
export function DashboardLive({ initial, initialAt }: { initial: DashboardView | null; initialAt: number }) {
  const trpc = useTRPC();
  const now = useNow();
  const summary = useQuery({
    ...trpc.partner.dashboard.queryOptions(),
    refetchInterval: DASHBOARD_REFRESH_MS,
    ...(initial ? { initialData: initial, initialDataUpdatedAt: initialAt } : {}),
  });
  const unread = useQuery({ ...trpc.notifications.unreadCount.queryOptions(), refetchInterval: DASHBOARD_REFRESH_MS });
  const s = summary.data;
  const failed = !!summary.error;
  return (
    <>
      <section aria-labelledby="stats-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="stats-heading" className="sr-only">
            At a glance
          </h2>
          <UpdatedAgo updatedAt={summary.dataUpdatedAt} testId="dashboard-updated" />
        </div>
        {summary.error && (
          <div className="rounded-xl border border-red-200 bg-white shadow-sm">
            <QueryError
              what="the dashboard's counts"
              error={summary.error}
              onRetry={() => summary.refetch()}
              updatedAt={summary.dataUpdatedAt}
            />
          </div>
        )}
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
          <Stat label="Sites" value={s?.sites} href="/sites" testId="stat-sites" failed={failed} />
          <Stat
            label="Online"
            value={s?.appliances.online}
            href="/appliances?status=online"
            testId="stat-online"
            failed={failed}
          />
          <Stat
            label="Offline"
            value={s?.appliances.offline}
            href="/appliances?status=offline"
            testId="stat-offline"
            failed={failed}
          />
          <Stat
            label="Error"
            value={s?.appliances.error}
            href="/appliances?status=error"
            testId="stat-error"
            failed={failed}
          />
          <Stat
            label="Provisioning"
            value={s?.appliances.provisioning}
            href="/appliances?status=provisioning"
            testId="stat-provisioning"
            failed={failed}
          />
          <Stat
            label="Unread alerts"
            value={unread.data}
            href="/alerts?read=unread"
            testId="stat-alerts"
            failed={!!unread.error}
          />
          <Stat
            label="Unused codes"
            value={s?.pendingCodes}
            href="/provision-codes"
            testId="stat-codes"
            failed={failed}
          />
        </div>
      </section>
      <section
        aria-labelledby="recent-appliances-heading"
        data-testid="recent-appliances"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-5 py-3">
          <h2 id="recent-appliances-heading" className="font-medium">
            Recently changed appliances
          </h2>
          <Link href="/appliances" className="text-sm text-[var(--brand-text)] hover:underline">
            All appliances
          </Link>
        </div>
        {s ? (
          <RecentAppliances rows={s.recentAppliances} now={now} />
        ) : summary.error ? (
          <p className="px-5 py-6 text-sm text-slate-600">The appliances show here once the dashboard loads.</p>
        ) : (
          <Skeleton rows={4} label="Loading the appliances" />
        )}
      </section>
    </>
  );
}
