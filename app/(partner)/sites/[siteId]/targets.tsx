"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/providers";
import type { ServerTargetView, WorkstationView } from "@/server/contracts/ui";
import { ConfirmButton } from "../../confirm-button";
import { QueryError, Skeleton } from "../../query-state";
import { ServerTable } from "./server-table";
import { WorkstationTable } from "./workstation-table";

/** Rows drawn at once per list; the search narrows the rest. (sites.targets returns everything: paging is to do.) */
const SHOWN = 100;

type Show = "all" | "attention" | "disabled" | "stale";

function matches(t: ServerTargetView | WorkstationView, query: string, show: Show): boolean {
  if (show === "disabled" && t.enabled) return false;
  if (show === "stale" && !t.stale) return false;
  if (
    show === "attention" &&
    t.enabled &&
    !t.stale &&
    !t.notSeenSince &&
    !("approval" in t && t.approval === "awaiting_approval")
  )
    return false;
  if (!query) return true;
  return [t.hostname, t.os, t.distinguishedName].some((v) => v?.toLowerCase().includes(query));
}

/** "Servers and workstations" (id targets, where the new_servers_found notification points). */
export function Targets({ siteId, canManage }: { siteId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const targets = useQuery(trpc.sites.targets.queryOptions({ siteId }));
  const approve = useMutation(
    trpc.sites.approveTargets.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.sites.targets.queryKey({ siteId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.sites.coverage.queryKey({ siteId }) }),
        ]),
    }),
  );
  const [search, setSearch] = useState("");
  const [show, setShow] = useState<Show>("all");
  const query = search.trim().toLowerCase();

  const data = targets.data;
  const servers = data?.servers.filter((s) => matches(s, query, show)) ?? [];
  const workstations = data?.workstations.filter((w) => matches(w, query, show)) ?? [];
  const awaiting = data?.servers.filter((s) => s.approval === "awaiting_approval").length ?? 0;
  const total = (data?.servers.length ?? 0) + (data?.workstations.length ?? 0);

  return (
    <section
      id="targets"
      aria-labelledby="targets-heading"
      className="scroll-mt-4 rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div className="min-w-0">
          <h2 id="targets-heading" className="font-medium">
            Servers and workstations
          </h2>
          <p className="text-xs text-slate-600">
            From Active Directory and the credentials entered by hand. Servers found after the first enumeration get the
            domain credential only once a partner admin approves them.
          </p>
        </div>
        {canManage && awaiting > 0 && (
          <ConfirmButton
            tone="brand"
            label={`Approve all (${awaiting})`}
            disabled={approve.isPending}
            question={`Approve ${awaiting} ${awaiting === 1 ? "server" : "servers"} awaiting approval? Each receives the domain credential and is scanned. Approve only servers you recognise.`}
            onConfirm={() => approve.mutate({ siteId, all: true })}
          />
        )}
      </div>
      {approve.error && (
        <p role="alert" className="px-5 py-2 text-sm text-red-700">
          {approve.error.message}
        </p>
      )}
      {targets.error ? (
        <QueryError what="servers and workstations" error={targets.error} onRetry={() => targets.refetch()} />
      ) : !data ? (
        <Skeleton rows={4} label="Loading servers and workstations" />
      ) : total === 0 ? (
        <p data-testid="targets-empty" className="px-5 py-6 text-center text-sm text-slate-600">
          No servers or workstations yet. They appear after the first enumeration, or when you add a credential with a
          host.
        </p>
      ) : (
        <>
          <div className="flex flex-wrap gap-3 px-5 py-3">
            <label className="min-w-0 flex-1">
              <span className="sr-only">Search computers</span>
              <input
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search by name, OS or OU"
                className="block w-full min-w-0 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
              />
            </label>
            <label>
              <span className="sr-only">Show</span>
              <select
                value={show}
                onChange={(e) => setShow(e.target.value as Show)}
                className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              >
                <option value="all">All</option>
                <option value="attention">Needs attention</option>
                <option value="disabled">Disabled</option>
                <option value="stale">Stale</option>
              </select>
            </label>
          </div>
          <h3 className="px-5 pt-2 text-sm font-medium text-slate-700">
            Servers <span className="font-normal text-slate-600">({servers.length})</span>
            {awaiting > 0 && (
              <span data-testid="awaiting-count" className="ml-2 font-normal text-amber-900">
                {awaiting} awaiting approval
              </span>
            )}
          </h3>
          {servers.length === 0 ? (
            <p className="px-5 py-3 text-sm text-slate-600">No server matches.</p>
          ) : (
            <ServerTable
              servers={servers.slice(0, SHOWN)}
              approving={approve.isPending}
              onApprove={canManage ? (id) => approve.mutate({ siteId, targetIds: [id] }) : undefined}
            />
          )}
          <h3 className="border-t border-slate-200 px-5 pt-4 text-sm font-medium text-slate-700">
            Workstations <span className="font-normal text-slate-600">({workstations.length})</span>
          </h3>
          {workstations.length === 0 ? (
            <p className="px-5 py-3 text-sm text-slate-600">No workstation matches.</p>
          ) : (
            <WorkstationTable workstations={workstations.slice(0, SHOWN)} />
          )}
          {(servers.length > SHOWN || workstations.length > SHOWN) && (
            <p className="px-5 py-3 text-xs text-slate-600">
              Showing the first {SHOWN} of each list; search to find the others.
            </p>
          )}
        </>
      )}
    </section>
  );
}
