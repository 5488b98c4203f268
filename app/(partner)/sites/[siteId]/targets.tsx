"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "@/app/providers";
import { ConfirmButton } from "../../confirm-button";
import { SearchField, useDebouncedSearch } from "../../list-search";
import { nextSort, type SortOrder } from "../../sort-header";
import { useSearchState } from "../../use-search-state";
import { ServerTable } from "./server-table";
import { type ListSort, TargetList, UI_SORTS, type UiSort } from "./target-list";
import { WorkstationTable } from "./workstation-table";

/** The status filter's choices (the server's statuses, targets-query.ts), "all" meaning no filter. */
const STATUS = [
  ["all", "Any status"],
  ["awaiting_approval", "Awaiting approval"],
  ["not_seen", "Not seen in AD"],
  ["disabled", "Disabled"],
  ["stale", "Stale"],
  ["approved", "Approved"],
  ["manual", "Manual credential"],
  ["listed", "In AD (workstations)"],
] as const;
type Status = (typeof STATUS)[number][0];
const PROVENANCE = [
  ["all", "Any source"],
  ["discovered", "From AD"],
  ["manual", "Entered by hand"],
] as const;
type Provenance = (typeof PROVENANCE)[number][0];

const ORDERS = ["asc", "desc"] as const;

/**
 * "Servers and workstations" (id targets, where the new_servers_found notification points). Search, filters,
 * sorting and paging are the server's (sites.targets); their state lives in the URL (q, status, provenance,
 * and per list sort, order and page: s… for servers, w… for workstations), so a view can be shared.
 */
export function Targets({ siteId, canManage }: { siteId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const url = useSearchState();
  const q = url.readText("q").trim();
  const status = url.read<Status>(
    "status",
    STATUS.map(([v]) => v),
    "all",
  );
  const provenance = url.read<Provenance>(
    "provenance",
    PROVENANCE.map(([v]) => v),
    "all",
  );
  const list = (p: "s" | "w") => ({
    sort: url.read<UiSort>(`${p}sort`, UI_SORTS, "hostname"),
    order: url.read<SortOrder>(`${p}order`, ORDERS, "asc"),
    page: url.readPage(`${p}page`),
  });
  const s = list("s");
  const w = list("w");

  // The box follows the URL (Back, a shared link) and writes to it once typing pauses; a new search starts
  // both lists on their first page.
  const writeSearch = useCallback((text: string) => url.write({ q: text, spage: null, wpage: null }), [url.write]);
  const [search, typeSearch, clearSearch] = useDebouncedSearch(q, writeSearch);
  const clearFilters = () => {
    clearSearch();
    url.write({ q: null, status: null, provenance: null, spage: null, wpage: null });
  };

  const filters = {
    q: q || undefined,
    status: status === "all" ? undefined : status,
    provenance: provenance === "all" ? undefined : provenance,
  };
  const input = (kind: "server" | "workstation", l: typeof s) => ({
    siteId,
    kind,
    ...filters,
    sort: l.sort,
    order: l.order,
    page: l.page,
  });
  const servers = useQuery({
    ...trpc.sites.targets.queryOptions(input("server", s)),
    placeholderData: keepPreviousData,
  });
  const workstations = useQuery({
    ...trpc.sites.targets.queryOptions(input("workstation", w)),
    placeholderData: keepPreviousData,
  });
  const approve = useMutation(
    trpc.sites.approveTargets.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.sites.targets.queryKey({ siteId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.sites.coverage.queryKey({ siteId }) }),
        ]),
    }),
  );

  const sorting = (p: "s" | "w", l: typeof s): ListSort => ({
    sort: l.sort,
    order: l.order,
    onSort: (field) => {
      const next = nextSort(l, field);
      url.write({ [`${p}sort`]: next.sort, [`${p}order`]: next.order, [`${p}page`]: null }, defaults(p));
    },
    setSort: (field, order) =>
      url.write({ [`${p}sort`]: field, [`${p}order`]: order, [`${p}page`]: null }, defaults(p)),
  });
  const page = (p: "s" | "w") => (n: number) => url.write({ [`${p}page`]: n }, defaults(p));

  const awaiting = servers.data?.serversAwaitingApproval ?? workstations.data?.serversAwaitingApproval ?? 0;
  const filtered = Boolean(filters.q || filters.status || filters.provenance);
  const nothingAtAll =
    !filtered && servers.data?.serversPage?.total === 0 && workstations.data?.workstationsPage?.total === 0;

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
      <search className="flex flex-wrap gap-3 border-b border-slate-100 px-5 py-3">
        <SearchField
          value={search}
          onType={typeSearch}
          placeholder="Search by name, OS or OU"
          hiddenLabel="Search computers"
        />
        <label className="min-w-0 flex-[1_1_9rem]">
          <select
            aria-label="Status"
            value={status}
            onChange={(e) => url.write({ status: e.target.value, spage: null, wpage: null }, { status: "all" })}
            className="block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            {STATUS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="min-w-0 flex-[1_1_9rem]">
          <select
            aria-label="Source"
            value={provenance}
            onChange={(e) => url.write({ provenance: e.target.value, spage: null, wpage: null }, { provenance: "all" })}
            className="block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            {PROVENANCE.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </search>
      {nothingAtAll ? (
        <p data-testid="targets-empty" className="px-5 py-6 text-center text-sm text-slate-600">
          No servers or workstations yet. They appear after the first enumeration, or when you add a credential with a
          host.
        </p>
      ) : (
        <>
          <TargetList
            id="servers"
            title="Servers"
            noun="server"
            query={{
              data: servers.data?.serversPage
                ? { page: servers.data.serversPage, rows: servers.data.servers.length }
                : undefined,
              error: servers.error,
              isFetching: servers.isFetching,
              dataUpdatedAt: servers.dataUpdatedAt,
              refetch: servers.refetch,
            }}
            filtered={filtered}
            onClearFilters={clearFilters}
            sorting={sorting("s", s)}
            onPage={page("s")}
            extra={
              awaiting > 0 && (
                <span data-testid="awaiting-count" className="ml-2 font-normal text-amber-900">
                  {awaiting} awaiting approval
                </span>
              )
            }
          >
            <ServerTable
              servers={servers.data?.servers ?? []}
              sorting={sorting("s", s)}
              approving={approve.isPending}
              onApprove={canManage ? (id) => approve.mutate({ siteId, targetIds: [id] }) : undefined}
            />
          </TargetList>
          <TargetList
            id="workstations"
            title="Workstations"
            noun="workstation"
            query={{
              data: workstations.data?.workstationsPage
                ? { page: workstations.data.workstationsPage, rows: workstations.data.workstations.length }
                : undefined,
              error: workstations.error,
              isFetching: workstations.isFetching,
              dataUpdatedAt: workstations.dataUpdatedAt,
              refetch: workstations.refetch,
            }}
            filtered={filtered}
            onClearFilters={clearFilters}
            sorting={sorting("w", w)}
            onPage={page("w")}
          >
            <WorkstationTable workstations={workstations.data?.workstations ?? []} sorting={sorting("w", w)} />
          </TargetList>
        </>
      )}
    </section>
  );
}

const defaults = (p: "s" | "w") => ({ [`${p}sort`]: "hostname", [`${p}order`]: "asc", [`${p}page`]: 1 });
