import type { ComplianceCheckView } from "@/server/contracts/ui";

type Status = ComplianceCheckView["status"];

/** Each status in words, with a symbol and a colour: the colour is never the only sign. */
export const STATUS_LOOK: Record<Status, { label: string; symbol: string; className: string }> = {
  pass: { label: "Pass", symbol: "✓", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  fail: { label: "Fail", symbol: "✗", className: "bg-red-50 text-red-800 ring-red-300" },
  unknown: { label: "Unknown", symbol: "?", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  error: { label: "Error", symbol: "!", className: "bg-slate-100 text-slate-800 ring-slate-300" },
};

export function StatusBadge({ status }: { status: Status }) {
  const look = STATUS_LOOK[status];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.className}`}
    >
      <span aria-hidden="true">{look.symbol}</span>
      {look.label}
    </span>
  );
}
