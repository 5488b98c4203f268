"use client";

import { ago } from "@/app/lib/time";
import type { WorkstationView } from "@/server/contracts/ui";
import { SortHeader } from "../../sort-header";
import { Cell, stacked } from "./stacked-table";
import { AdState, pill, SeenInAd } from "./target-badges";
import type { ListSort } from "./target-list";

const AGENT: Record<WorkstationView["agentStatus"], { label: string; style: string }> = {
  not_deployed: { label: "No agent", style: "bg-slate-100 text-slate-700" },
  pending: { label: "Agent pending", style: "bg-amber-100 text-amber-900" },
  active: { label: "Agent reporting", style: "bg-emerald-100 text-emerald-800" },
  stale: { label: "Agent silent", style: "bg-amber-100 text-amber-900" },
  error: { label: "Agent error", style: "bg-red-100 text-red-800" },
};

export function WorkstationTable({ workstations, sorting }: { workstations: WorkstationView[]; sorting: ListSort }) {
  const header = (field: ListSort["sort"], label: string) => (
    <SortHeader field={field} label={label} sort={sorting.sort} order={sorting.order} onSort={sorting.onSort} />
  );
  return (
    <table className={stacked.table} data-testid="workstation-table">
      <thead className={stacked.head}>
        <tr>
          {header("hostname", "Workstation")}
          {header("os", "OS")}
          {header("status", "Status")}
          {header("lastLogon", "Last logon")}
          {header("lastSeen", "Last seen in AD")}
          <th className="px-5 py-2 font-medium">Agent</th>
        </tr>
      </thead>
      <tbody className={stacked.body}>
        {workstations.map((w) => (
          <tr key={w.id} data-testid="workstation-row" className={stacked.row}>
            <Cell className="sm:max-w-[14rem]">
              <p className="break-all font-medium">{w.hostname}</p>
              {w.distinguishedName && (
                <p className="break-all text-xs text-slate-600" title={w.distinguishedName}>
                  {ouPath(w.distinguishedName)}
                </p>
              )}
            </Cell>
            <Cell label="OS" className="text-xs sm:max-w-[10rem]">
              <span className="break-words">{w.os ?? "unknown"}</span>
            </Cell>
            <Cell label="Status">
              <AdState enabled={w.enabled} stale={w.stale} />
            </Cell>
            <Cell label="Last logon" className="text-xs">
              {w.lastLogon ? ago(w.lastLogon) : "–"}
            </Cell>
            <Cell label="Last seen in AD" className="text-xs">
              <SeenInAd lastSeenInAd={w.lastSeenInAd} notSeenSince={w.notSeenSince} />
            </Cell>
            <Cell label="Agent">
              <span data-testid="agent-status" className={`${pill} ${AGENT[w.agentStatus].style}`}>
                {AGENT[w.agentStatus].label}
              </span>
              {w.agentLastSeenAt && <p className="text-xs text-slate-600">{ago(w.agentLastSeenAt)}</p>}
            </Cell>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Front Desk / Workstations" from CN=WS01,OU=Front Desk,OU=Workstations,DC=clinic,DC=test. */
function ouPath(dn: string): string {
  const ous = dn
    .split(/,(?=(?:OU|DC|CN)=)/i)
    .filter((part) => /^OU=/i.test(part))
    .map((part) => part.slice(3));
  return ous.length ? ous.join(" / ") : "";
}
