"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import { ListBody } from "../list-body";
import { FIELD, LABEL, SearchField, SiteFilter, useDebouncedSearch } from "../list-search";
import { Pager } from "../pager";
import { nextSort, SortHeader } from "../sort-header";
import { useSearchState } from "../use-search-state";

const PAGE_SIZE = 25;
const STATUSES = ["all", "online", "offline", "provisioning", "error"] as const;
type Status = (typeof STATUSES)[number];
const SORTS = ["hostname", "site", "status", "last_checkin", "version"] as const;
type Sort = (typeof SORTS)[number];
const ORDERS = ["asc", "desc"] as const;
const DEFAULTS = { status: "all", sort: "hostname", order: "asc", page: 1 };

const STATUS_STYLE: Record<Exclude<Status, "all">, string> = {
  online: "bg-emerald-100 text-emerald-800",
  offline: "bg-red-100 text-red-800",
  provisioning: "bg-sky-100 text-sky-800",
  error: "bg-amber-100 text-amber-900",
};

/**
 * Every appliance across the partner's sites. Search (q), status, site, sort, order and page live in the
 * URL (`/appliances?status=offline` is what the dashboard's cards link to); the server searches, filters,
 * sorts and pages (appliances.list). Loading, error (with Retry), empty and no-match are distinct.
 */
export function ApplianceList() {
  const trpc = useTRPC();
  const url = useSearchState();
  const q = url.readText("q").trim();
  const status = url.read<Status>("status", STATUSES, "all");
  const site = url.readText("site");
  const sort = url.read<Sort>("sort", SORTS, "hostname");
  const order = url.read("order", ORDERS, "asc");
  const page = url.readPage("page");
  const writeSearch = useCallback((text: string) => url.write({ q: text, page: null }, DEFAULTS), [url]);
  const [search, typeSearch] = useDebouncedSearch(q, writeSearch);

  const list = useQuery({
    ...trpc.appliances.list.queryOptions({
      q: q || undefined,
      status: status === "all" ? undefined : status,
      site: site || undefined,
      sort,
      order,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const set = (key: string, value: string) => url.write({ [key]: value, page: null }, DEFAULTS);
  const onSort = (field: Sort) => url.write({ ...nextSort({ sort, order }, field), page: null }, DEFAULTS);
  const filtered = Boolean(q || status !== "all" || site);

  return (
    <section aria-label="Appliances" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <search className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 py-3">
        <SearchField value={search} onType={typeSearch} placeholder="Hostname, clinic or id…" />
        <label className={`${LABEL} flex-[1_1_8rem]`}>
          Status
          <select value={status} onChange={(e) => set("status", e.target.value)} className={FIELD}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === "all" ? "Any status" : s[0]?.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <SiteFilter value={site} onChange={(v) => set("site", v)} width="flex-[1_1_10rem]" />
        <label className={`${LABEL} flex-[1_1_9rem] sm:hidden`}>
          Sort
          <select
            value={`${sort}:${order}`}
            onChange={(e) => {
              const [s, o] = e.target.value.split(":");
              url.write({ sort: s ?? null, order: o ?? null, page: null }, DEFAULTS);
            }}
            className={FIELD}
          >
            {SORTS.flatMap((s) =>
              ORDERS.map((o) => (
                <option key={`${s}:${o}`} value={`${s}:${o}`}>
                  {SORT_LABEL[s]} {o === "asc" ? "↑" : "↓"}
                </option>
              )),
            )}
          </select>
        </label>
      </search>
      <ListBody
        query={list}
        what="appliances"
        skeletonRows={5}
        count={(d) => ({ rows: d.appliances.length, total: d.total, page: d.page })}
        filtered={filtered}
        testId="appliances-empty"
        empty={
          <>
            No appliances yet. Create a{" "}
            <Link href="/provision-codes" className="text-[var(--brand-text)] underline">
              provision code
            </Link>{" "}
            to install one.
          </>
        }
        noMatch="No appliance matches these filters."
        clearFilters="/appliances"
        offPage="No appliances on this page."
        onFirstPage={() => url.write({ page: null })}
      >
        {(data) => (
          <>
            <p className="px-5 pt-3 text-xs text-slate-600" data-testid="appliances-total">
              {data.total} {data.total === 1 ? "appliance" : "appliances"}
              {filtered ? " match" : ""}
            </p>
            <table className="w-full text-left text-sm">
              <thead className="hidden text-xs text-slate-600 sm:table-header-group">
                <tr>
                  {SORTS.map((s) => (
                    <SortHeader key={s} field={s} label={SORT_LABEL[s]} sort={sort} order={order} onSort={onSort} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.appliances.map((a) => (
                  <tr
                    key={a.id}
                    data-testid="appliance-row"
                    className="block border-t border-slate-100 px-5 py-3 sm:table-row sm:p-0"
                  >
                    <td className="block min-w-0 break-all font-medium sm:table-cell sm:px-5 sm:py-2">
                      <Link
                        href={`/sites/${encodeURIComponent(a.siteId)}`}
                        title={a.id}
                        className="text-slate-900 hover:underline"
                      >
                        {a.hostname}
                      </Link>
                    </td>
                    <td className="block min-w-0 break-words text-slate-700 sm:table-cell sm:px-5 sm:py-2">
                      {a.siteName}
                    </td>
                    <td className="inline-block pr-3 sm:table-cell sm:px-5 sm:py-2">
                      <span
                        className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.status]}`}
                        data-testid="appliance-status"
                      >
                        {a.status}
                      </span>
                      {a.revokedAt && <span className="ml-2 text-xs text-red-700">revoked</span>}
                    </td>
                    <td className="inline-block pr-3 text-xs text-slate-600 sm:table-cell sm:px-5 sm:py-2 sm:text-sm">
                      {a.lastCheckinAt ? (
                        <time dateTime={a.lastCheckinAt} title={new Date(a.lastCheckinAt).toUTCString()}>
                          <span className="sm:hidden">Checked in </span>
                          {ago(a.lastCheckinAt)}
                        </time>
                      ) : (
                        "Never checked in"
                      )}
                    </td>
                    <td className="inline-block text-xs text-slate-600 sm:table-cell sm:px-5 sm:py-2 sm:text-sm">
                      {a.agentVersion ? (
                        <>
                          <span className="sm:hidden">v</span>
                          {a.agentVersion}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              label="Appliances"
              onPage={(p) => url.write({ page: p }, DEFAULTS)}
              busy={list.isFetching}
            />
          </>
        )}
      </ListBody>
    </section>
  );
}

const SORT_LABEL: Record<Sort, string> = {
  hostname: "Hostname",
  site: "Site",
  status: "Status",
  last_checkin: "Last check-in",
  version: "Version",
};
