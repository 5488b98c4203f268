"use client";

import { ago } from "@/app/lib/time";
import type { WorkstationView } from "@/server/contracts/ui";
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
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="workstation-table">
        <thead className="text-slate-600">
          <tr>
            <th className="px-5 py-2 font-medium">Workstation</th>
            <th className="px-5 py-2 font-medium">In AD</th>
            <th className="px-5 py-2 font-medium">Last seen in AD</th>
            <th className="px-5 py-2 font-medium">Agent</th>
          </tr>
        </thead>
        <tbody>
          {workstations.map((w) => (
            <tr key={w.id} data-testid="workstation-row" className="border-t border-slate-100">
              <td className="max-w-[16rem] px-5 py-3">
                <p className="break-all font-medium">{w.hostname}</p>
                <p className="break-words text-xs text-slate-600">{w.os ?? "OS unknown"}</p>
              </td>
              <td className="px-5 py-3">
                <AdState enabled={w.enabled} stale={w.stale} />
              </td>
              <td className="px-5 py-3 text-xs">
                <SeenInAd lastSeenInAd={w.lastSeenInAd} notSeenSince={w.notSeenSince} />
              </td>
              <td className="px-5 py-3">
                <span data-testid="agent-status" className={`${pill} ${AGENT[w.agentStatus].style}`}>
                  {AGENT[w.agentStatus].label}
                </span>
                {w.agentLastSeenAt && <p className="text-xs text-slate-600">{ago(w.agentLastSeenAt)}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
