"use client";

import { ago } from "@/app/lib/time";
import type { ServerTargetView } from "@/server/contracts/ui";
import { SortHeader } from "../../sort-header";
import { Cell, stacked } from "./stacked-table";
import { AdState, Provenance, pill, SeenInAd } from "./target-badges";
import type { ListSort } from "./target-list";

const APPROVAL: Record<ServerTargetView["approval"], { label: string; style: string }> = {
  approved: { label: "Approved", style: "bg-emerald-100 text-emerald-800" },
  awaiting_approval: { label: "Awaiting approval", style: "bg-amber-100 text-amber-900" },
  manual: { label: "Manual credential", style: "bg-slate-100 text-slate-700" },
};

function WinRm({ reachable, port }: { reachable: boolean | null; port: number }) {
  if (reachable === null) return <span className="text-slate-600">not probed</span>;
  return reachable ? (
    <span className="text-emerald-800">reachable :{port}</span>
  ) : (
    <span className="text-red-700">no answer :{port}</span>
  );
}

/** The site's Windows servers; `onApprove` (partner admins) puts an Approve button on those awaiting approval. */
export function ServerTable({
  servers,
  onApprove,
  approving,
  sorting,
}: {
  servers: ServerTargetView[];
  onApprove?: (id: string, hostname: string) => void;
  approving: boolean;
  sorting: ListSort;
}) {
  const header = (field: ListSort["sort"], label: string) => (
    <SortHeader field={field} label={label} sort={sorting.sort} order={sorting.order} onSort={sorting.onSort} />
  );
  return (
    <table className={stacked.table} data-testid="server-table">
      <thead className={stacked.head}>
        <tr>
          {header("hostname", "Server")}
          {header("os", "OS")}
          <th className="px-5 py-2 font-medium">Source</th>
          {header("status", "Status")}
          {header("lastLogon", "Last logon")}
          {header("lastSeen", "Last seen in AD")}
          <th className="px-5 py-2 font-medium">WinRM</th>
          <th className="px-5 py-2 font-medium">Approval</th>
        </tr>
      </thead>
      <tbody className={stacked.body}>
        {servers.map((s) => (
          <tr key={s.id ?? `manual ${s.hostname}`} data-testid="server-row" className={stacked.row}>
            <Cell className="sm:max-w-[14rem]">
              <p className="break-all font-medium">{s.hostname}</p>
              {s.isDomainController && <p className="text-xs text-slate-600">Domain controller</p>}
            </Cell>
            <Cell label="OS" className="text-xs sm:max-w-[10rem]">
              <span className="break-words">{s.os ?? "unknown"}</span>
            </Cell>
            <Cell label="Source">
              <Provenance sources={s.provenance} />
            </Cell>
            <Cell label="Status">
              {s.provenance.includes("discovered") ? <AdState enabled={s.enabled} stale={s.stale} /> : "–"}
            </Cell>
            <Cell label="Last logon" className="text-xs">
              {s.lastLogon ? ago(s.lastLogon) : "–"}
            </Cell>
            <Cell label="Last seen in AD" className="text-xs">
              <SeenInAd lastSeenInAd={s.lastSeenInAd} notSeenSince={s.notSeenSince} />
            </Cell>
            <Cell label="WinRM" className="whitespace-nowrap text-xs">
              <WinRm reachable={s.winrmReachable} port={s.port} />
            </Cell>
            <Cell label="Approval">
              <div className="flex flex-wrap items-center gap-2">
                <span data-testid="approval" className={`${pill} ${APPROVAL[s.approval].style}`}>
                  {APPROVAL[s.approval].label}
                </span>
                {onApprove && s.approval === "awaiting_approval" && s.id && (
                  <button
                    type="button"
                    disabled={approving}
                    onClick={() => s.id && onApprove(s.id, s.hostname)}
                    aria-label={`Approve ${s.hostname}`}
                    className="rounded-md bg-[var(--brand)] px-3 py-1 text-xs font-medium text-[var(--brand-contrast)] disabled:opacity-60"
                  >
                    Approve
                  </button>
                )}
              </div>
            </Cell>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
