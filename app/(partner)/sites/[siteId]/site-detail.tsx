"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import type { SiteCredentialView } from "@/server/contracts/ui";
import { ConfirmButton } from "../../confirm-button";
import { NotFoundPanel } from "../../not-found-panel";
import { QueryError, Skeleton } from "../../query-state";
import { useReturnFocus } from "../../use-focus";
import { AccessLog } from "./access-log";
import { ActiveDirectory } from "./active-directory";
import { Compliance } from "./compliance";
import { CoverageCard } from "./coverage-card";
import { CredentialForm, TYPES } from "./credential-form";
import { ScanSchedule } from "./scan-schedule";
import { Cell, stacked } from "./stacked-table";
import { Targets } from "./targets";

const STATUS_STYLE: Record<string, string> = {
  online: "bg-emerald-100 text-emerald-800",
  offline: "bg-red-100 text-red-800",
  provisioning: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
  revoked: "bg-slate-800 text-white",
};

type Credential = SiteCredentialView;

/** `canManage`: a partner admin; technicians see everything but cannot change credentials or appliances. */
export function SiteDetail({ siteId, canManage }: { siteId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const site = useQuery({ ...trpc.sites.get.queryOptions({ siteId }), refetchInterval: 5_000 });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.sites.get.queryKey({ siteId }) });
  const remove = useMutation(trpc.sites.deleteCredential.mutationOptions({ onSuccess: invalidate }));
  const scan = useMutation(trpc.sites.requestScan.mutationOptions());
  const revokeAppliance = useMutation(trpc.sites.revokeAppliance.mutationOptions({ onSuccess: invalidate }));
  const [form, setForm] = useState<{ editing: Credential | null } | null>(null);
  // Cancel or a save puts the focus back on Add credential.
  const addButton = useReturnFocus<HTMLButtonElement>(form === null);
  const loaded = !!site.data;
  const mergedAt = site.data?.directory.lastEnumeration?.mergedAt ?? null;

  // A merge changes the targets and the coverage: refetch them when the latest run's merge time moves.
  useEffect(() => {
    if (!mergedAt) return;
    void queryClient.invalidateQueries({ queryKey: trpc.sites.targets.queryKey({ siteId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.sites.coverage.queryKey({ siteId }) });
  }, [mergedAt, queryClient, trpc, siteId]);

  // Notifications link to #domain-credential, #targets and #compliance, which exist only once the site has loaded.
  useEffect(() => {
    if (!loaded || !window.location.hash) return;
    document.getElementById(decodeURIComponent(window.location.hash.slice(1)))?.scrollIntoView();
  }, [loaded]);

  if (site.error?.data?.code === "NOT_FOUND") return <NotFoundPanel what="site" />;
  if (site.error && !site.data)
    return (
      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <QueryError what="this site" error={site.error} onRetry={() => site.refetch()} />
      </section>
    );
  if (!site.data)
    return (
      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <Skeleton rows={6} label="Loading the site" />
      </section>
    );
  const s = site.data;
  // The domain credential (domain_admin without a host) has its own place in the Active Directory section.
  const windowsCredentials = s.credentials.filter((c) => !(c.credentialType === "domain_admin" && c.host === null));

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold">{s.clientName}</h1>
          <p className="break-all font-mono text-xs text-slate-500">{s.id}</p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <ScanSchedule siteId={siteId} canManage={canManage} />
          <button
            type="button"
            onClick={() => scan.mutate({ siteId })}
            className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50"
          >
            {scan.isSuccess ? "Scan requested" : "Scan now"}
          </button>
        </div>
      </div>

      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 className="border-b border-slate-200 px-5 py-3 font-medium">Appliances</h2>
        {revokeAppliance.error && (
          <p role="alert" className="px-5 py-2 text-sm text-red-700">
            {revokeAppliance.error.message}
          </p>
        )}
        <div>
          <table className={stacked.table}>
            <thead className={stacked.head}>
              <tr>
                <th className="px-5 py-2 font-medium">Appliance</th>
                <th className="px-5 py-2 font-medium">State</th>
                <th className="px-5 py-2 font-medium">Last check-in</th>
                <th className="px-5 py-2 font-medium">Version</th>
                {canManage && <th className="px-5 py-2" />}
              </tr>
            </thead>
            <tbody className={stacked.body}>
              {s.appliances.map((a) => (
                <tr key={a.id} data-testid="appliance-row" className={stacked.row}>
                  <Cell>
                    <p className="font-medium">{a.hostname}</p>
                    <p className="font-mono text-xs text-slate-500">{a.macAddress}</p>
                  </Cell>
                  <Cell label="State">
                    <span
                      data-testid="appliance-status"
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.revokedAt ? "revoked" : a.status] ?? ""}`}
                    >
                      {a.revokedAt ? "Revoked" : a.status}
                    </span>
                    {a.revokedAt && (
                      <p className="mt-1 text-xs text-slate-500" data-testid="appliance-revoked-by">
                        by {a.revokedBy}, {ago(a.revokedAt)}
                      </p>
                    )}
                    {!a.revokedAt && a.unusableTargets.length > 0 && (
                      <div
                        data-testid="appliance-unusable"
                        className="mt-2 max-w-sm rounded-md border border-amber-300 bg-amber-50 px-2 py-1.5 text-xs text-amber-900"
                      >
                        <p className="font-medium">
                          Cannot use{" "}
                          {a.unusableTargets.length === 1 ? "a credential" : `${a.unusableTargets.length} credentials`}{" "}
                          (first reported {ago(a.unusableSince)}):
                        </p>
                        <ul className="mt-0.5 list-disc pl-4">
                          {a.unusableTargets.map((t) => (
                            <li key={`${t.hostname} ${t.credentialId ?? ""}`} className="break-all">
                              {s.credentials.find((c) => c.id === t.credentialId)?.credentialName ?? t.hostname}:{" "}
                              {t.reason}
                            </li>
                          ))}
                        </ul>
                        <p className="mt-0.5">
                          {canManage
                            ? "Edit the credential below and enter its password again."
                            : "A partner admin can enter its password again."}
                        </p>
                      </div>
                    )}
                  </Cell>
                  <Cell label="Last check-in" className="text-slate-600">
                    {ago(a.lastCheckinAt)}
                  </Cell>
                  <Cell label="Version" className="font-mono text-xs">
                    {a.agentVersion ?? "–"}
                  </Cell>
                  {canManage && (
                    <Cell className="sm:text-right">
                      {!a.revokedAt && (
                        <ConfirmButton
                          label="Revoke"
                          ariaLabel={`Revoke appliance ${a.hostname}`}
                          question={`Revoke ${a.hostname} (${a.macAddress})? Its key stops working at its next request and it receives no more credentials. To use the box again, provision it with a new code.`}
                          onConfirm={() => revokeAppliance.mutate({ applianceId: a.id })}
                        />
                      )}
                    </Cell>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {/* What a technician checks first, once the site is set up: above the setup and inventory sections. */}
      <Compliance siteId={siteId} />
      <ActiveDirectory siteId={siteId} directory={s.directory} canManage={canManage} />
      <CoverageCard siteId={siteId} />
      <Targets siteId={siteId} canManage={canManage} />

      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
          <div>
            <h2 className="font-medium">Windows credentials</h2>
            <p className="text-xs text-slate-500">
              Encrypted here; appliances receive them at each check-in and keep them in memory only.
            </p>
          </div>
          {canManage && !form && (
            <button
              ref={addButton}
              type="button"
              onClick={() => setForm({ editing: null })}
              className="rounded-md bg-[var(--brand)] px-3 py-1.5 text-sm font-medium text-[var(--brand-contrast)]"
            >
              Add credential
            </button>
          )}
        </div>
        {windowsCredentials.length === 0 && !form && (
          <p className="px-5 py-6 text-center text-sm text-slate-500">No credentials yet.</p>
        )}
        {windowsCredentials.length > 0 && (
          <div>
            <table className={stacked.table}>
              <thead className={stacked.head}>
                <tr>
                  <th className="px-5 py-2 font-medium">Name</th>
                  <th className="px-5 py-2 font-medium">Type</th>
                  <th className="px-5 py-2 font-medium">Host</th>
                  <th className="px-5 py-2 font-medium">Username</th>
                  <th className="px-5 py-2 font-medium">Password</th>
                  <th className="px-5 py-2" />
                </tr>
              </thead>
              <tbody className={stacked.body}>
                {windowsCredentials.map((c) => (
                  <tr key={c.id} data-testid="credential-row" className={stacked.row}>
                    <Cell className="break-words font-medium">{c.credentialName}</Cell>
                    <Cell label="Type">{TYPES.find((t) => t.value === c.credentialType)?.label}</Cell>
                    <Cell label="Host" className="font-mono text-xs">
                      {c.host ?? "–"}
                      {c.host && (c.useSsl ? " :5986" : " :5985")}
                    </Cell>
                    <Cell label="Username" className="font-mono text-xs">
                      {c.domain ? `${c.domain}\\${c.username}` : c.username}
                    </Cell>
                    <Cell label="Password" className="text-slate-600">
                      stored, never shown
                    </Cell>
                    <Cell className="space-x-2 whitespace-nowrap sm:text-right">
                      {canManage && (
                        <>
                          <button
                            type="button"
                            onClick={() => setForm({ editing: c })}
                            aria-label={`Edit credential ${c.credentialName}`}
                            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium"
                          >
                            Edit
                          </button>
                          <ConfirmButton
                            label="Delete"
                            ariaLabel={`Delete credential ${c.credentialName}`}
                            question={`Delete ${c.credentialName}? Appliances lose it at their next check-in.`}
                            onConfirm={() => remove.mutate({ siteId, credentialId: c.id })}
                          />
                        </>
                      )}
                    </Cell>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {form && <CredentialForm siteId={siteId} editing={form.editing} onDone={() => setForm(null)} />}
      </section>

      <AccessLog siteId={siteId} names={new Map(s.credentials.map((c) => [c.id, c.credentialName]))} />
    </div>
  );
}
