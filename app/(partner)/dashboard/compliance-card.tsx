"use client";

import { useQuery } from "@tanstack/react-query";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import { complianceControl } from "@/server/contracts/compliance-controls";
import { QueryError, Skeleton } from "../query-state";

const REFRESH_MS = 15_000;

const pct = (p: number | null) => (p === null ? "–" : `${p} %`);
const siteLink = (siteId: string, query = "") => `/sites/${encodeURIComponent(siteId)}${query}#compliance`;

/**
 * Compliance across the partner's sites (partner.compliance): controls passing of those checked, per site
 * lowest share first, and the worst offenders (hosts with the most failing controls), each linking to its
 * site's matrix. Refreshes on its own and says when it last did.
 */
export function ComplianceCard() {
  const trpc = useTRPC();
  const compliance = useQuery({ ...trpc.partner.compliance.queryOptions(), refetchInterval: REFRESH_MS });
  const c = compliance.data;
  return (
    <section
      aria-labelledby="dash-compliance-heading"
      data-testid="compliance-card"
      className="rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-5 py-3">
        <div className="min-w-0">
          <h2 id="dash-compliance-heading" className="font-medium">
            Compliance
          </h2>
          <p className="text-xs text-slate-600">The HIPAA controls checked on your clinics' Windows servers.</p>
        </div>
        {compliance.dataUpdatedAt > 0 && (
          <p className="text-xs text-slate-600">Updated {new Date(compliance.dataUpdatedAt).toLocaleTimeString()}</p>
        )}
      </div>
      {compliance.error && !c ? (
        <QueryError what="compliance" error={compliance.error} onRetry={() => compliance.refetch()} />
      ) : !c ? (
        <Skeleton rows={3} label="Loading compliance" />
      ) : c.sitesWithResults === 0 ? (
        <p data-testid="dash-compliance-empty" className="px-5 py-6 text-center text-sm text-slate-600">
          No compliance results yet. They appear after a site's first scan.
        </p>
      ) : (
        <div className="grid gap-6 px-5 py-4 lg:grid-cols-2">
          <div className="min-w-0">
            <p className="text-sm">
              <span data-testid="dash-compliance-passing" className="text-xl font-semibold tabular-nums">
                {c.totals.passing} of {c.totals.checked}
              </span>{" "}
              <span className="text-slate-600">controls passing ({pct(c.totals.passingPercent)})</span>
            </p>
            <table className="mt-3 w-full text-left text-sm">
              <caption className="pb-1 text-left text-xs text-slate-600">
                {c.sitesWithResults > c.sites.length
                  ? `The ${c.sites.length} sites with the lowest share passing, of ${c.sitesWithResults}`
                  : "By site, lowest share passing first"}
              </caption>
              <thead className="text-slate-600">
                <tr>
                  <th className="py-2 pr-3 font-medium">Site</th>
                  <th className="px-3 py-2 text-right font-medium">Passing</th>
                  <th className="py-2 pl-3 text-right font-medium">Failing</th>
                </tr>
              </thead>
              <tbody>
                {c.sites.map((s) => (
                  <tr key={s.siteId} data-testid="dash-compliance-site" className="border-t border-slate-100">
                    <td className="min-w-0 py-2 pr-3">
                      <a href={siteLink(s.siteId)} className="break-words text-[var(--brand-text)] hover:underline">
                        {s.clientName}
                      </a>
                      <span className="block text-xs text-slate-600">last checked {ago(s.lastCheckedAt)}</span>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums" data-testid="dash-compliance-site-passing">
                      {s.passing} / {s.checked}
                    </td>
                    <td className="py-2 pl-3 text-right tabular-nums">
                      {s.failing > 0 ? (
                        <a
                          href={siteLink(s.siteId, "?cstatus=fail")}
                          className="text-[var(--brand-text)] hover:underline"
                          aria-label={`${s.failing} failing at ${s.clientName}`}
                        >
                          {s.failing}
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
          <div className="min-w-0">
            <h3 className="text-sm font-medium text-slate-700">Worst offenders</h3>
            {c.worstOffenders.length === 0 ? (
              <p data-testid="dash-offenders-empty" className="py-2 text-sm text-slate-600">
                No host fails a control.
              </p>
            ) : (
              <ol className="mt-1 divide-y divide-slate-100 text-sm">
                {c.worstOffenders.map((o) => (
                  <li key={`${o.siteId} ${o.hostname}`} data-testid="dash-offender" className="py-2">
                    <a
                      href={siteLink(o.siteId, `?cq=${encodeURIComponent(o.hostname)}`)}
                      className="break-all font-medium text-[var(--brand-text)] hover:underline"
                    >
                      {o.hostname}
                    </a>{" "}
                    <span className="text-slate-600">at {o.clientName}</span>
                    <p className="text-xs text-red-800">
                      <span aria-hidden="true">✗ </span>
                      {o.failing} failing: {o.failingChecks.map((k) => complianceControl(k).name).join(", ")}
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
