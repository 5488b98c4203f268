"use client";

import { ago } from "@/app/lib/time";
import type { SiteDirectoryView } from "@/server/contracts/ui";

type Run = NonNullable<SiteDirectoryView["lastEnumeration"]>;

const LOOK: Record<Run["status"], { label: string; style: string }> = {
  receiving: { label: "Running", style: "bg-amber-100 text-amber-900" },
  queued: { label: "Merging", style: "bg-amber-100 text-amber-900" },
  merged: { label: "Merged", style: "bg-emerald-100 text-emerald-800" },
  failed: { label: "Failed", style: "bg-red-100 text-red-800" },
};

/** A failed run's error is stored as "<code>: <words>" when the appliance sent a code: the words lead. */
function words(error: string): { text: string; code: string | null } {
  const m = /^([a-z0-9_]{1,64}): ([\s\S]+)$/.exec(error);
  return m?.[1] && m[2] ? { text: m[2], code: m[1] } : { text: error, code: null };
}

/**
 * The latest enumeration run. `requested`: a credential was entered after this run (or there is no run), so the
 * appliance will enumerate at its next check-in.
 */
export function EnumerationStatus({
  run,
  requested,
  canManage,
}: {
  run: Run | null;
  requested: boolean;
  canManage: boolean;
}) {
  return (
    <div className="space-y-2 text-sm" data-testid="enumeration">
      {requested && (
        <p data-testid="enumeration-requested" className="rounded-md bg-sky-50 px-3 py-2 text-sky-900">
          Enumeration requested — the appliance runs it at its next check-in.
        </p>
      )}
      {!run && !requested && <p className="text-slate-600">No enumeration has run yet.</p>}
      {run && (
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium">Latest enumeration</span>
            <span
              data-testid="enumeration-status"
              className={`rounded-full px-2 py-0.5 text-xs font-medium ${LOOK[run.status].style}`}
            >
              {LOOK[run.status].label}
            </span>
            {run.partial && (
              <span
                data-testid="enumeration-partial"
                className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
              >
                Partial
              </span>
            )}
          </p>
          <p className="break-all text-xs text-slate-600">
            <span className="font-mono">{run.domain}</span>
            {run.status === "failed" ? ` · failed ${ago(run.receivedAt)}` : ` · received ${ago(run.receivedAt)}`}
            {run.mergedAt && ` · merged ${ago(run.mergedAt)}`}
          </p>
          {run.status !== "failed" && (
            <p data-testid="enumeration-counts" className="text-slate-700">
              {run.servers} {run.servers === 1 ? "server" : "servers"}, {run.workstations}{" "}
              {run.workstations === 1 ? "workstation" : "workstations"}
              {run.status === "receiving" && " received so far"}
            </p>
          )}
          {run.partial && (
            <p className="text-xs text-amber-900">
              The appliance ran out of time: what it read was merged; computers it did not reach are not marked as gone.
            </p>
          )}
          {run.status === "failed" && run.error && (
            <p
              role="alert"
              data-testid="enumeration-error"
              className="mt-1 break-words rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800"
            >
              {words(run.error).text}
              {words(run.error).code && (
                <span className="ml-1 font-mono text-xs text-red-700">({words(run.error).code})</span>
              )}
            </p>
          )}
          {run.status === "failed" && (
            <p className="mt-1 text-xs text-slate-600">
              {canManage
                ? "When the cause is fixed, save the domain credential again (Replace credential) to run it again."
                : "A partner admin can enter the domain credential again once the cause is fixed."}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
