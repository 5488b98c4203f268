"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/providers";
import { Figure } from "../figure";
import { QueryError, Skeleton } from "../query-state";

const REFRESH_MS = 30_000;

const pct = (p: number | null) => (p === null ? "–" : `${p} %`);

/**
 * AD coverage across the partner's sites (issue 8): computers in AD against servers scanned and agents
 * reporting (0 until those issues land), coverage %, disabled and stale counts; the sites with the lowest
 * coverage link to their site page's coverage. Refreshes on its own.
 */
export function AdCoverageCard() {
  const trpc = useTRPC();
  const coverage = useQuery({ ...trpc.partner.coverage.queryOptions(), refetchInterval: REFRESH_MS });
  const c = coverage.data;
  return (
    <section
      aria-labelledby="ad-coverage-heading"
      data-testid="ad-coverage-card"
      className="rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="border-b border-slate-200 px-5 py-3">
        <h2 id="ad-coverage-heading" className="font-medium">
          Active Directory coverage
        </h2>
        <p className="text-xs text-slate-600">
          Computers your clinics' directories list, against the servers scanned and the agents reporting.
        </p>
      </div>
      {coverage.error ? (
        <QueryError what="AD coverage" error={coverage.error} onRetry={() => coverage.refetch()} />
      ) : !c ? (
        <Skeleton rows={3} label="Loading AD coverage" />
      ) : c.sitesWithAd === 0 ? (
        <p data-testid="ad-coverage-empty" className="px-5 py-6 text-center text-sm text-slate-600">
          No computers from Active Directory yet. Enter a site's domain credential and they appear here after the first
          enumeration.
        </p>
      ) : (
        <div className="space-y-4 px-5 py-4">
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
            <Figure label="Computers in AD" value={c.totals.computersInAd} testId="dash-coverage-in-ad" />
            <Figure label="Servers scanned" value={c.totals.serversScanned} testId="dash-coverage-scanned" />
            <Figure label="Agents reporting" value={c.totals.agentsReporting} testId="dash-coverage-agents" />
            <Figure label="Coverage" value={pct(c.totals.coveragePercent)} testId="dash-coverage-percent" />
            <Figure label="Disabled" value={c.totals.disabled} testId="dash-coverage-disabled" />
            <Figure label="Stale (60 days)" value={c.totals.stale} testId="dash-coverage-stale" />
          </dl>
          <div className="relative overflow-x-auto">
            <table className="w-full min-w-[32rem] text-left text-sm">
              <caption className="pb-1 text-left text-xs text-slate-600">
                {c.sitesWithAd > c.sites.length
                  ? `The ${c.sites.length} sites with the lowest coverage, of ${c.sitesWithAd}`
                  : "By site, lowest coverage first"}
              </caption>
              <thead className="text-slate-600">
                <tr>
                  <th className="py-2 pr-3 font-medium">Site</th>
                  <th className="px-3 py-2 text-right font-medium">In AD</th>
                  <th className="px-3 py-2 text-right font-medium">Coverage</th>
                  <th className="px-3 py-2 text-right font-medium">Disabled</th>
                  <th className="px-3 py-2 text-right font-medium">Stale</th>
                  <th className="py-2 pl-3 text-right font-medium">Awaiting approval</th>
                </tr>
              </thead>
              <tbody>
                {c.sites.map((s) => (
                  <tr key={s.siteId} data-testid="dash-coverage-site" className="border-t border-slate-100">
                    <td className="max-w-[14rem] py-2 pr-3">
                      <a
                        href={`/sites/${encodeURIComponent(s.siteId)}#coverage`}
                        className="break-words text-[var(--brand-text)] hover:underline"
                      >
                        {s.clientName}
                      </a>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{s.computersInAd}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{pct(s.coveragePercent)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{s.disabled}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{s.stale}</td>
                    <td className="py-2 pl-3 text-right tabular-nums">
                      {s.serversAwaitingApproval > 0 ? (
                        <a
                          href={`/sites/${encodeURIComponent(s.siteId)}?status=awaiting_approval#targets`}
                          className="text-[var(--brand-text)] hover:underline"
                        >
                          {s.serversAwaitingApproval}
                        </a>
                      ) : (
                        0
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
