"use client";

/**
 * "26–50 of 60" with Previous and Next, for a list paged by the server. `label` names the list for screen
 * readers ("Servers pages"), so two pagers on one page are told apart.
 */
export function Pager({
  page,
  pageSize,
  total,
  label,
  onPage,
  busy = false,
}: {
  page: number;
  pageSize: number;
  total: number;
  label: string;
  onPage: (page: number) => void;
  busy?: boolean;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : Math.min(total, (page - 1) * pageSize + 1);
  const to = Math.min(total, page * pageSize);
  const button =
    "rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50";
  return (
    <nav aria-label={`${label} pages`} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3">
      <p className="text-xs text-slate-600" data-testid="pager-range" aria-live="polite">
        {from}–{to} of {total}
      </p>
      {pages > 1 && (
        <div className="flex items-center gap-2">
          <button type="button" className={button} disabled={busy || page <= 1} onClick={() => onPage(page - 1)}>
            Previous
          </button>
          <span className="text-xs text-slate-600">
            Page {Math.min(page, pages)} of {pages}
          </span>
          <button type="button" className={button} disabled={busy || page >= pages} onClick={() => onPage(page + 1)}>
            Next
          </button>
        </div>
      )}
    </nav>
  );
}
