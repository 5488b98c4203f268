"use client";

import { ago } from "@/app/lib/time";
import type { SiteComplianceView } from "@/server/contracts/ui";
import { SortHeader, type SortOrder } from "../../sort-header";
import { STATUS_LOOK } from "./compliance-status";
import { Cell, stacked } from "./stacked-table";

export const COMPLIANCE_SORTS = ["hostname", "failing", "checked_at"] as const;
export type ComplianceSort = (typeof COMPLIANCE_SORTS)[number];
export const COMPLIANCE_SORT_LABEL: Record<ComplianceSort, string> = {
  hostname: "Host",
  failing: "Most failing",
  checked_at: "Last checked",
};

type Control = SiteComplianceView["controls"][number];
type Host = SiteComplianceView["hosts"][number];
export type CellKey = { hostname: string; check: Control["check"] };

/**
 * The host × control matrix: one row per host, one column per control in the order of the controls table.
 * A header names the control and its citation, with the rationale on hover or focus of its (i). A cell says
 * its status in words and symbol as well as colour, and is a button (named by host and control) that opens
 * its details. Below the sm width each host becomes a card listing its controls.
 */
export function ComplianceMatrix(props: {
  controls: Control[];
  hosts: Host[];
  sort: ComplianceSort;
  order: SortOrder;
  onSort: (field: ComplianceSort) => void;
  selected: CellKey | null;
  onSelect: (cell: CellKey) => void;
}) {
  const { controls } = props;
  return (
    <table className={`${stacked.table} sm:min-w-[56rem]`} data-testid="compliance-matrix">
      <thead className={stacked.head}>
        <tr className="align-bottom">
          <SortHeader
            field="hostname"
            label="Host"
            sort={props.sort}
            order={props.order}
            onSort={props.onSort}
            className="min-w-[11rem] px-5 py-2 font-medium"
          />
          {controls.map((c) => (
            <th
              key={c.check}
              scope="col"
              className="w-[8.5rem] px-2 py-2 text-center font-medium"
              data-testid="control-header"
            >
              <span className="group relative inline-flex flex-col items-center">
                <span className="flex items-center gap-1 whitespace-nowrap">
                  {c.name}
                  <button
                    type="button"
                    aria-label={`Why ${c.name} matters`}
                    aria-describedby={`rationale-${c.check}`}
                    className="inline-flex h-4 w-4 items-center justify-center rounded-full border border-slate-400 font-serif text-[10px] italic leading-none text-slate-700 hover:border-slate-900 hover:text-slate-900"
                  >
                    i
                  </button>
                </span>
                <span className="text-xs font-normal text-slate-600">{c.hipaaControl}</span>
                <span
                  role="tooltip"
                  id={`rationale-${c.check}`}
                  className="absolute top-full z-10 mt-1 hidden w-56 rounded-md bg-slate-900 px-3 py-2 text-left text-xs font-normal text-white shadow-lg group-focus-within:block group-hover:block"
                >
                  {c.rationale}
                </span>
              </span>
            </th>
          ))}
          <SortHeader
            field="failing"
            label="Failing"
            sort={props.sort}
            order={props.order}
            onSort={props.onSort}
            className="px-3 py-2 text-right font-medium"
          />
          <SortHeader
            field="checked_at"
            label="Last checked"
            sort={props.sort}
            order={props.order}
            onSort={props.onSort}
            className="px-5 py-2 font-medium"
          />
        </tr>
      </thead>
      <tbody className={stacked.body}>
        {props.hosts.map((h) => {
          const byCheck = new Map(h.checks.map((r) => [r.check, r]));
          const failing = h.checks.filter((r) => r.status === "fail").length;
          const last = h.checks.reduce<string | null>((m, r) => (m && m > r.checkedAt ? m : r.checkedAt), null);
          return (
            <tr key={h.hostname} data-testid="compliance-row" data-host={h.hostname} className={stacked.row}>
              <Cell>
                <p className="font-medium [overflow-wrap:anywhere]" title={h.hostname}>
                  {h.hostname}
                </p>
                <p className="text-xs text-slate-600">{h.kind === "server" ? "Server" : "Workstation"}</p>
              </Cell>
              {controls.map((c) => {
                const r = byCheck.get(c.check);
                const look = r ? STATUS_LOOK[r.status] : null;
                const open = props.selected?.hostname === h.hostname && props.selected.check === c.check;
                return (
                  <Cell key={c.check} label={c.name} className="sm:px-2 sm:text-center">
                    {r && look ? (
                      <button
                        type="button"
                        data-testid="compliance-cell"
                        data-check={c.check}
                        data-status={r.status}
                        aria-expanded={open}
                        aria-controls={open ? "compliance-details-heading" : undefined}
                        aria-label={`${h.hostname} ${c.name}: ${look.label}. Show details`}
                        title={`Observed: ${r.observed || "–"} · Expected: ${r.expected || "–"}`}
                        onClick={() => props.onSelect({ hostname: h.hostname, check: c.check })}
                        className={`inline-flex min-w-[4.5rem] items-center justify-center gap-1 rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset ${look.className} ${open ? "outline outline-2 outline-offset-1 outline-slate-900" : ""}`}
                      >
                        <span aria-hidden="true">{look.symbol}</span>
                        {look.label}
                      </button>
                    ) : (
                      <span className="text-xs text-slate-600" title="Not checked yet">
                        –<span className="sr-only">not checked</span>
                      </span>
                    )}
                    {/* On a phone the column header is hidden: the citation goes beside the status. */}
                    <span className="ml-2 text-xs text-slate-600 sm:hidden">{c.hipaaControl}</span>
                  </Cell>
                );
              })}
              <Cell label="Failing" className="tabular-nums sm:px-3 sm:text-right">
                <span data-testid="row-failing">{failing}</span>
              </Cell>
              <Cell label="Last checked" className="whitespace-nowrap text-slate-600">
                {last ? (
                  <time dateTime={last} title={new Date(last).toLocaleString()}>
                    {ago(last)}
                  </time>
                ) : (
                  "never"
                )}
              </Cell>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
