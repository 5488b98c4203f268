"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/providers";
import type { SiteDirectoryView } from "@/server/contracts/ui";
import { QueryError, Skeleton } from "../../query-state";
import { DcCertificates } from "./dc-certificates";
import { DiscoveredDomains } from "./discovered-domains";
import { DomainCredential } from "./domain-credential";
import { EnumerationStatus } from "./enumeration-status";

/** The "Active Directory" section (id domain-credential, where the domain_discovered notification points). */
export function ActiveDirectory({
  siteId,
  directory,
  canManage,
}: {
  siteId: string;
  directory: SiteDirectoryView;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const credential = useQuery(trpc.sites.domainCredential.queryOptions({ siteId }));
  const run = directory.lastEnumeration;
  const entered = credential.data?.credential ?? null;
  // A credential entered after the latest run (or with no run yet) means an enumeration is on its way.
  const requested = !!entered && (!run || new Date(run.receivedAt) < new Date(entered.updatedAt));

  return (
    <section
      id="domain-credential"
      aria-labelledby="ad-heading"
      className="scroll-mt-4 rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="border-b border-slate-200 px-5 py-3">
        <h2 id="ad-heading" className="font-medium">
          Active Directory
        </h2>
        <p className="text-xs text-slate-600">
          The appliance finds the domain itself; one domain credential lets it list every server and workstation.
        </p>
      </div>
      <div className="grid gap-6 px-5 py-4 md:grid-cols-2">
        <div className="min-w-0">
          <h3 className="mb-2 text-sm font-medium text-slate-700">Domain</h3>
          <DiscoveredDomains directory={directory} />
          <DcCertificates siteId={siteId} canManage={canManage} />
        </div>
        <div className="min-w-0">
          <h3 className="mb-2 text-sm font-medium text-slate-700">Domain credential</h3>
          {credential.error ? (
            <QueryError what="the domain credential" error={credential.error} onRetry={() => credential.refetch()} />
          ) : !credential.data ? (
            <Skeleton rows={3} label="Loading the domain credential" />
          ) : (
            <DomainCredential
              siteId={siteId}
              credential={entered}
              canManage={canManage}
              discoveredDomain={directory.domains[0]?.domain ?? null}
              enteredBy={credential.data.enteredBy}
            />
          )}
        </div>
      </div>
      <div className="border-t border-slate-100 px-5 py-4">
        <EnumerationStatus run={run} requested={requested} canManage={canManage} />
      </div>
    </section>
  );
}
