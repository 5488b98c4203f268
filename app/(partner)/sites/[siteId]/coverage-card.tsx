"use client";

import { useQuery } from "@tanstack/react-query";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import type { SiteCoverageView } from "@/server/contracts/ui";
import { Figure } from "../../figure";
import { QueryError, Skeleton } from "../../query-state";

type Computer = SiteCoverageView["disabled"][number];

function ComputerList({ title, computers, testId }: { title: string; computers: Computer[]; testId: string }) {
  return (
    <details className="min-w-0" data-testid={testId}>
      <summary className="cursor-pointer text-sm">
        {title} <span className="tabular-nums">({computers.length})</span>
      </summary>
      {computers.length === 0 ? (
        <p className="mt-1 text-xs text-slate-600">None.</p>
      ) : (
        <ul className="mt-1 space-y-0.5 text-xs">
          {computers.map((c) => (
            <li key={c.hostname} className="break-all">
              <span className="font-mono">{c.hostname}</span>{" "}
              <span className="text-slate-600">
                {c.kind}, last logon {c.lastLogon ? new Date(c.lastLogon).toLocaleDateString() : "never"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

/** Computers in AD against what is monitored: agents reporting and servers scanned. */
export function CoverageCard({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const coverage = useQuery(trpc.sites.coverage.queryOptions({ siteId }));
  const c = coverage.data;

  return (
    <section
      id="coverage"
      aria-labelledby="coverage-heading"
      className="scroll-mt-4 rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="border-b border-slate-200 px-5 py-3">
        <h2 id="coverage-heading" className="font-medium">
          AD coverage
        </h2>
        <p className="text-xs text-slate-600">
          {c?.lastEnumeratedAt
            ? `Computers AD lists now (${c.domain ?? "domain"}, enumerated ${ago(c.lastEnumeratedAt)}) against what is monitored.`
            : "Computers AD lists against what is monitored."}
        </p>
      </div>
      {coverage.error ? (
        <QueryError what="coverage" error={coverage.error} onRetry={() => coverage.refetch()} />
      ) : !c ? (
        <Skeleton rows={2} label="Loading coverage" />
      ) : c.computersInAd === 0 ? (
        <p data-testid="coverage-empty" className="px-5 py-6 text-center text-sm text-slate-600">
          No computers from AD yet: coverage appears after the first enumeration.
        </p>
      ) : (
        <div className="space-y-4 px-5 py-4">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Figure
              label="Coverage"
              testId="coverage-percent"
              value={c.coveragePercent === null ? "–" : `${c.coveragePercent} %`}
            />
            <Figure label="Computers in AD" testId="coverage-in-ad" value={c.computersInAd} />
            <Figure label="Agents reporting" testId="coverage-agents" value={c.agentsReporting} />
            <Figure label="Servers scanned" testId="coverage-scanned" value={c.serversScanned} />
          </dl>
          <p className="text-xs text-slate-600">
            {c.serversInAd} {c.serversInAd === 1 ? "server" : "servers"}, {c.workstationsInAd}{" "}
            {c.workstationsInAd === 1 ? "workstation" : "workstations"}
            {c.serversAwaitingApproval > 0 && `; ${c.serversAwaitingApproval} awaiting approval`}.
          </p>
          <div className="grid gap-2 sm:grid-cols-3">
            <ComputerList title="Disabled" computers={c.disabled} testId="coverage-disabled" />
            <ComputerList title="Stale (no logon for 60 days)" computers={c.stale} testId="coverage-stale" />
            <ComputerList title="Not seen in AD any more" computers={c.notSeen} testId="coverage-not-seen" />
          </div>
        </div>
      )}
    </section>
  );
}
