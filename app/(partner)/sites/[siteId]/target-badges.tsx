import { ago } from "@/app/lib/time";

/** Small labels shared by the server and workstation lists. */

const pill = "inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium";

export function Provenance({ sources }: { sources: Array<"manual" | "discovered"> }) {
  const both = sources.includes("manual") && sources.includes("discovered");
  const label = both ? "Manual + AD" : sources.includes("manual") ? "Manual" : "AD";
  return (
    <span data-testid="provenance" className={`${pill} bg-slate-100 text-slate-700`}>
      {label}
    </span>
  );
}

/** Enabled or disabled in AD, and stale (no logon for 60 days). */
export function AdState({ enabled, stale }: { enabled: boolean; stale: boolean }) {
  return (
    <span className="flex flex-wrap gap-1">
      <span className={`${pill} ${enabled ? "bg-emerald-100 text-emerald-800" : "bg-slate-700 text-white"}`}>
        {enabled ? "Enabled" : "Disabled"}
      </span>
      {stale && <span className={`${pill} bg-amber-100 text-amber-900`}>Stale</span>}
    </span>
  );
}

/** "not seen since …" for a computer gone from AD, else when AD last listed it. */
export function SeenInAd({ lastSeenInAd, notSeenSince }: { lastSeenInAd: string | null; notSeenSince: string | null }) {
  if (notSeenSince)
    return (
      <span data-testid="not-seen" className="text-amber-900">
        not seen since {new Date(notSeenSince).toLocaleDateString()}
      </span>
    );
  if (!lastSeenInAd) return <span className="text-slate-600">not from AD</span>;
  return <span className="text-slate-700">{ago(lastSeenInAd)}</span>;
}

export { pill };
