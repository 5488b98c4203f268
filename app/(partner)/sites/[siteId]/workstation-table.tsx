"use client";

import { ago } from "@/app/lib/time";
import type { WorkstationView } from "@/server/contracts/ui";
import { Cell, stacked } from "./stacked-table";
import { AdState, pill, SeenInAd } from "./target-badges";

const AGENT: Record<WorkstationView["agentStatus"], { label: string; style: string }> = {
  not_deployed: { label: "No agent", style: "bg-slate-100 text-slate-700" },
  pending: { label: "Agent pending", style: "bg-amber-100 text-amber-900" },
  active: { label: "Agent reporting", style: "bg-emerald-100 text-emerald-800" },
  stale: { label: "Agent silent", style: "bg-amber-100 text-amber-900" },
  error: { label: "Agent error", style: "bg-red-100 text-red-800" },
};

export function WorkstationTable({ workstations }: { workstations: WorkstationView[] }) {
  return (
    <table className={stacked.table} data-testid="workstation-table">
      <thead className={stacked.head}>
        <tr>
          <th className="px-5 py-2 font-medium">Workstation</th>
          <th className="px-5 py-2 font-medium">In AD</th>
          <th className="px-5 py-2 font-medium">Last seen in AD</th>
          <th className="px-5 py-2 font-medium">Agent</th>
        </tr>
      </thead>
      <tbody className={stacked.body}>
        {workstations.map((w) => (
          <tr key={w.id} data-testid="workstation-row" className={stacked.row}>
            <Cell className="sm:max-w-[16rem]">
              <p className="break-all font-medium">{w.hostname}</p>
              <p className="break-words text-xs text-slate-600">{w.os ?? "OS unknown"}</p>
            </Cell>
            <Cell label="In AD">
              <AdState enabled={w.enabled} stale={w.stale} />
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
