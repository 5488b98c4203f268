"use client";

export type SortOrder = "asc" | "desc";

/**
 * A sortable column header: a button that sorts by its column (again: the other way), and `aria-sort` so a
 * screen reader says which column the rows are sorted by and which way.
 */
export function SortHeader<F extends string>(props: {
  field: F;
  label: string;
  sort: F;
  order: SortOrder;
  onSort: (field: F) => void;
  className?: string;
}) {
  const active = props.sort === props.field;
  return (
    <th
      className={props.className ?? "px-5 py-2 font-medium"}
      aria-sort={active ? (props.order === "asc" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        onClick={() => props.onSort(props.field)}
        className="inline-flex items-center gap-1 rounded hover:text-slate-900"
      >
        {props.label}
        <span aria-hidden="true" className="w-3 text-[10px]">
          {active ? (props.order === "asc" ? "▲" : "▼") : ""}
        </span>
      </button>
    </th>
  );
}

/** Clicking the active column flips its order; another column starts ascending. */
export function nextSort<F extends string>(current: { sort: F; order: SortOrder }, field: F) {
  return { sort: field, order: current.sort === field && current.order === "asc" ? "desc" : "asc" } as const;
}
