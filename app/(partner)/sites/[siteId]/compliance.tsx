"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import { COMPLIANCE_CONTROLS } from "@/server/contracts/compliance-controls";
import { ListBody } from "../../list-body";
import { SearchField, useDebouncedSearch } from "../../list-search";
import { Pager } from "../../pager";
import type { SortOrder } from "../../sort-header";
import { useSearchState } from "../../use-search-state";
import { ComplianceCellDetails } from "./compliance-cell-details";
import { ComplianceDrift } from "./compliance-drift";
import {
  type CellKey,
  COMPLIANCE_SORT_LABEL,
  COMPLIANCE_SORTS,
  ComplianceMatrix,
  type ComplianceSort,
} from "./compliance-matrix";

/** Results arrive batch by batch while a scan runs: poll so the matrix fills without a reload. */
export const COMPLIANCE_REFRESH_MS = 5_000;
const PAGE_SIZE = 25;
const ORDERS = ["asc", "desc"] as const;
const CHECKS = ["all", ...COMPLIANCE_CONTROLS.map((c) => c.check)] as const;
type CheckFilter = (typeof CHECKS)[number];
const STATUS = [
  ["all", "Any status"],
  ["fail", "Failing only"],
  ["unknown", "Unknown"],
  ["error", "Error"],
  ["pass", "Passing"],
] as const;
type StatusFilter = (typeof STATUS)[number][0];
/** Each sort's natural order (the server's, site-compliance.ts). */
const NATURAL: Record<ComplianceSort, SortOrder> = { hostname: "asc", failing: "desc", checked_at: "desc" };
/** Values dropped from the URL; the order is written only when it is not its sort's natural one. */
const DEFAULTS = { cq: "", ccheck: "all", cstatus: "all", csort: "hostname", cpage: 1 };

/**
 * The site's compliance (id compliance, where compliance.failing notifications point): the summary, the
 * host × control matrix searched, filtered, sorted and paged by the server (sites.compliance) with its state
 * in the URL (cq, ccheck, cstatus, csort, corder, cpage: prefixed so the targets' state is left alone), the
 * details of a cell, CSV export of the filtered matrix, and the drift timeline. Refreshes on its own.
 */
export function Compliance({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const url = useSearchState();
  const q = url.readText("cq").trim();
  const check = url.read<CheckFilter>("ccheck", CHECKS, "all");
  const status = url.read<StatusFilter>(
    "cstatus",
    STATUS.map(([v]) => v),
    "all",
  );
  const sort = url.read<ComplianceSort>("csort", COMPLIANCE_SORTS, "hostname");
  const order = url.read<SortOrder>("corder", ORDERS, NATURAL[sort]);
  const page = url.readPage("cpage");

  const writeSearch = useCallback((text: string) => url.write({ cq: text, cpage: null }, DEFAULTS), [url.write]);
  const [search, typeSearch, clearSearch] = useDebouncedSearch(q, writeSearch);

  const filters = {
    q: q || undefined,
    check: check === "all" ? undefined : check,
    status: status === "all" ? undefined : status,
  };
  const matrix = useQuery({
    ...trpc.sites.compliance.queryOptions({ siteId, ...filters, sort, order, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: COMPLIANCE_REFRESH_MS,
  });
  const scan = useMutation(trpc.sites.requestScan.mutationOptions());

  const [selected, setSelected] = useState<CellKey | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const select = (cell: CellKey) => {
    opener.current = document.activeElement as HTMLElement | null;
    setSelected((s) => (s?.hostname === cell.hostname && s.check === cell.check ? null : cell));
  };
  const close = () => {
    setSelected(null);
    opener.current?.focus();
  };

  const setSort = (field: ComplianceSort, to: SortOrder) =>
    url.write({ csort: field, corder: to === NATURAL[field] ? null : to, cpage: null }, DEFAULTS);
  const onSort = (field: ComplianceSort) => {
    // A new column starts in its natural order; the active one flips.
    setSort(field, sort !== field ? NATURAL[field] : order === "asc" ? "desc" : "asc");
  };

  const d = matrix.data;
  const filtered = Boolean(filters.q || filters.check || filters.status);
  const csv = new URLSearchParams(
    Object.entries({ ...filters, sort, order }).filter((e): e is [string, string] => Boolean(e[1])),
  );
  const selectedHost = selected && d?.hosts.find((h) => h.hostname === selected.hostname);
  const selectedResult = selectedHost?.checks.find((c) => c.check === selected?.check);

  return (
    <section
      id="compliance"
      aria-labelledby="compliance-heading"
      className="scroll-mt-4 rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div className="min-w-0">
          <h2 id="compliance-heading" className="font-medium">
            Compliance
          </h2>
          {d && (
            <p className="text-xs text-slate-600" data-testid="compliance-summary">
              {d.summary.checked === 0
                ? "No results yet"
                : `${d.summary.passing} of ${d.summary.checked} controls passing on ${d.summary.hosts} ${d.summary.hosts === 1 ? "host" : "hosts"}`}
              {" · "}
              {d.lastScanCompletedAt ? `last scan finished ${ago(d.lastScanCompletedAt)}` : "no scan finished yet"}
            </p>
          )}
          {matrix.dataUpdatedAt > 0 && (
            <p className="text-xs text-slate-600" data-testid="compliance-updated">
              Updated {new Date(matrix.dataUpdatedAt).toLocaleTimeString()}
              {matrix.error && d ? " · refresh failed, retrying" : ""}
            </p>
          )}
        </div>
        {d && d.summary.checked > 0 && (
          <a
            href={`/api/partners/me/sites/${encodeURIComponent(siteId)}/compliance.csv${csv.size ? `?${csv}` : ""}`}
            download
            data-testid="compliance-csv"
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
          >
            Export CSV<span className="sr-only"> of the compliance matrix{filtered ? " as filtered" : ""}</span>
          </a>
        )}
      </div>
      {d && d.summary.checked > 0 && (
        <search className="flex flex-wrap gap-3 border-b border-slate-100 px-5 py-3">
          <SearchField value={search} onType={typeSearch} placeholder="Search hosts" hiddenLabel="Search hosts" />
          <select
            aria-label="Control"
            value={check}
            onChange={(e) => url.write({ ccheck: e.target.value, cpage: null }, DEFAULTS)}
            className="block min-w-0 flex-[1_1_9rem] rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="all">Every control</option>
            {d.controls.map((c) => (
              <option key={c.check} value={c.check}>
                {c.name} ({c.hipaaControl})
              </option>
            ))}
          </select>
          <select
            aria-label="Status"
            value={status}
            onChange={(e) => url.write({ cstatus: e.target.value, cpage: null }, DEFAULTS)}
            className="block min-w-0 flex-[1_1_9rem] rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            {STATUS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <select
            aria-label="Sort hosts"
            value={`${sort}:${order}`}
            onChange={(e) => {
              const [field, to] = e.target.value.split(":") as [ComplianceSort, SortOrder];
              setSort(field, to);
            }}
            className="block min-w-0 flex-[1_1_9rem] rounded-md border border-slate-300 px-2 py-1.5 text-sm sm:hidden"
          >
            {COMPLIANCE_SORTS.flatMap((f) =>
              ORDERS.map((o) => (
                <option key={`${f}:${o}`} value={`${f}:${o}`}>
                  {COMPLIANCE_SORT_LABEL[f]} {o === "asc" ? "↑" : "↓"}
                </option>
              )),
            )}
          </select>
        </search>
      )}
      <ListBody
        query={matrix}
        what="compliance"
        skeletonRows={4}
        keepOnError
        count={(m) => ({ rows: m.hosts.length, total: m.total, page: m.page, nothing: m.summary.checked === 0 })}
        filtered={filtered}
        testId="compliance-empty"
        noMatchTestId="compliance-no-match"
        empty={
          <>
            <p>
              No scan yet: compliance results appear here as the appliance checks the site's Windows servers, after the
              first enumeration or when you ask for a scan.
            </p>
            <button
              type="button"
              onClick={() => scan.mutate({ siteId })}
              disabled={scan.isPending || scan.isSuccess}
              className="mt-3 rounded-md bg-[var(--brand)] px-3 py-1.5 text-sm font-medium text-[var(--brand-contrast)] disabled:opacity-60"
            >
              {scan.isSuccess ? "Scan requested" : "Scan now"}
            </button>
            {scan.error && (
              <p role="alert" className="mt-2 text-red-700">
                {scan.error.message}
              </p>
            )}
          </>
        }
        noMatch="No host matches these filters."
        clearFilters={() => {
          clearSearch();
          url.write({ cq: null, ccheck: null, cstatus: null, cpage: null }, DEFAULTS);
        }}
        offPage="No host on this page."
        onFirstPage={() => url.write({ cpage: null }, DEFAULTS)}
      >
        {(m) => (
          <>
            <div className="sm:overflow-x-auto">
              <ComplianceMatrix
                controls={m.controls}
                hosts={m.hosts}
                sort={sort}
                order={order}
                onSort={onSort}
                selected={selected}
                onSelect={select}
              />
            </div>
            {selected && selectedResult && (
              <ComplianceCellDetails
                key={`${selected.hostname} ${selected.check}`}
                hostname={selected.hostname}
                result={selectedResult}
                onClose={close}
              />
            )}
            <Pager
              page={m.page}
              pageSize={m.pageSize}
              total={m.total}
              label="Compliance hosts"
              onPage={(n) => url.write({ cpage: n }, DEFAULTS)}
              busy={matrix.isPlaceholderData}
            />
          </>
        )}
      </ListBody>
      <ComplianceDrift siteId={siteId} />
    </section>
  );
}
