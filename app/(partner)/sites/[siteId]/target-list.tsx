"use client";

import type { ReactNode } from "react";
import { ListBody } from "../../list-body";
import { Pager } from "../../pager";
import type { SortOrder } from "../../sort-header";

export const UI_SORTS = ["hostname", "os", "lastLogon", "lastSeen", "status"] as const;
export type UiSort = (typeof UI_SORTS)[number];
export type ListSort = {
  sort: UiSort;
  order: SortOrder;
  /** A column header: sort by it, or flip its order. */
  onSort: (field: UiSort) => void;
  /** The phone's sort menu: this column, this way. */
  setSort: (field: UiSort, order: SortOrder) => void;
};

const SORT_LABEL: Record<UiSort, string> = {
  hostname: "Name",
  os: "OS",
  lastLogon: "Last logon",
  lastSeen: "Last seen in AD",
  status: "Status",
};

type Query = {
  /** Undefined until the first load (the server's page is null for the other kind's list). */
  data: { page: { page: number; pageSize: number; total: number }; rows: number } | undefined;
  error: { message: string } | null;
  isFetching: boolean;
  dataUpdatedAt: number;
  refetch: () => unknown;
};

/**
 * One list of the targets card (servers or workstations): its heading with the match count, a sort menu for
 * phones (the column headers sort from the sm width up), the table, and its pager. Loading (a skeleton, first
 * load only: a page change keeps the rows until the next arrive), error (reason and Retry) and "no match"
 * are distinct states.
 */
export function TargetList(props: {
  id: string;
  title: string;
  noun: string;
  query: Query;
  sorting: ListSort;
  onPage: (page: number) => void;
  filtered: boolean;
  onClearFilters: () => void;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const { query, sorting } = props;
  const page = query.data?.page;
  return (
    <div className="border-t border-slate-200 first:border-t-0">
      <div className="flex flex-wrap items-center justify-between gap-2 px-5 pt-4">
        <h3 id={`${props.id}-heading`} className="text-sm font-medium text-slate-700">
          {props.title}{" "}
          {page && (
            <span className="font-normal text-slate-600" data-testid={`${props.id}-total`}>
              ({page.total})
            </span>
          )}
          {props.extra}
        </h3>
        <label className="sm:hidden">
          <select
            aria-label={`Sort ${props.title.toLowerCase()}`}
            value={`${sorting.sort}:${sorting.order}`}
            onChange={(e) => {
              const [field, order] = e.target.value.split(":") as [UiSort, SortOrder];
              sorting.setSort(field, order);
            }}
            className="rounded-md border border-slate-300 px-2 py-1 text-xs"
          >
            {UI_SORTS.flatMap((f) =>
              (["asc", "desc"] as const).map((o) => (
                <option key={`${f}:${o}`} value={`${f}:${o}`}>
                  {SORT_LABEL[f]} {o === "asc" ? "↑" : "↓"}
                </option>
              )),
            )}
          </select>
        </label>
      </div>
      <ListBody
        query={query}
        what={props.title.toLowerCase()}
        count={(d) => ({ rows: d.rows, total: d.page.total, page: d.page.page })}
        filtered={props.filtered}
        empty={`No ${props.noun}s yet.`}
        noMatch={`No ${props.noun} matches.`}
        clearFilters={props.onClearFilters}
        offPage={`No ${props.noun}s on this page.`}
        onFirstPage={() => props.onPage(1)}
      >
        {(d) => (
          <>
            {props.children}
            <Pager
              page={d.page.page}
              pageSize={d.page.pageSize}
              total={d.page.total}
              label={props.title}
              onPage={props.onPage}
              busy={query.isFetching}
            />
          </>
        )}
      </ListBody>
    </div>
  );
}
