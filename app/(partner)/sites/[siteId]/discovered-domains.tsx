"use client";

import { ago } from "@/app/lib/time";
import type { SiteDirectoryView } from "@/server/contracts/ui";

/** What the appliances found: the domain(s) and their DCs, else why no domain was found, else that none looked yet. */
export function DiscoveredDomains({ directory }: { directory: SiteDirectoryView }) {
  if (directory.domains.length > 0) {
    return (
      <ul className="space-y-3" data-testid="discovered-domains">
        {directory.domains.map((d) => (
          <li key={`${d.applianceId} ${d.domain}`} data-testid="discovered-domain" className="min-w-0">
            <p className="break-all">
              <span className="font-mono font-medium">{d.domain}</span>
              {d.netbiosName && (
                <span className="text-slate-600">
                  {" "}
                  (NetBIOS <span className="font-mono">{d.netbiosName}</span>)
                </span>
              )}
            </p>
            <p className="text-xs text-slate-600">Discovered {ago(d.discoveredAt)}</p>
            <ul className="mt-1 space-y-0.5 text-xs" aria-label={`Domain controllers of ${d.domain}`}>
              {d.domainControllers.map((dc) => (
                <li key={`${dc.hostname}:${dc.port}`} data-testid="domain-controller" className="break-all">
                  <span className="font-mono">
                    {dc.hostname}:{dc.port}
                  </span>{" "}
                  <span className="text-slate-600">
                    priority {dc.priority}, weight {dc.weight}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    );
  }
  const failure = directory.discoveryFailures[0];
  if (failure) {
    return (
      <div data-testid="discovery-failed" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm">
        <p className="break-words text-amber-900">
          No domain found yet
          {failure.searched.length > 0 && (
            <>
              : searched <span className="font-mono">{failure.searched.join(", ")}</span>
            </>
          )}
          {failure.error && <> — {failure.error}</>}
        </p>
        {failure.failedAt && <p className="mt-0.5 text-xs text-amber-900">Last tried {ago(failure.failedAt)}</p>}
      </div>
    );
  }
  return (
    <p data-testid="discovery-waiting" className="text-sm text-slate-600">
      Waiting for the appliance to look for a domain. It looks after provisioning, at every start and daily.
    </p>
  );
}
