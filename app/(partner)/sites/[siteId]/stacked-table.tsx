import type { ReactNode } from "react";

/**
 * A table that stacks on a phone: below the `sm` width each row becomes a card and each cell a "label: value"
 * line, so long host names wrap in place instead of the table scrolling sideways.
 */
export const stacked = {
  table: "block w-full text-left text-sm sm:table",
  head: "hidden text-slate-600 sm:table-header-group",
  body: "block sm:table-row-group",
  row: "block border-t border-slate-100 py-2 sm:table-row sm:py-0",
} as const;

export function Cell({ label, children, className = "" }: { label?: string; children: ReactNode; className?: string }) {
  return (
    <td className={`flex items-baseline gap-3 px-5 py-1 sm:table-cell sm:py-3 ${className}`}>
      {label && <span className="w-28 shrink-0 text-xs text-slate-600 sm:hidden">{label}</span>}
      <div className="min-w-0">{children}</div>
    </td>
  );
}
