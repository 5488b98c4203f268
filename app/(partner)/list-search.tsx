"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/app/providers";

const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box's text, written to the URL once typing pauses; follows the URL when it changes by other
 * means (Back, a shared link, Clear filters). Only typing schedules a write: a write made elsewhere is never
 * followed by a debounced one built from the URL as it was before it, which would bring old filters back.
 * Returns the text, the input's change handler, and `clear` (empty the box without writing: the caller
 * writes the URL itself).
 */
export function useDebouncedSearch(q: string, write: (q: string) => void) {
  const [search, setSearch] = useState(q);
  const typing = useRef(false);
  useEffect(() => setSearch((typed) => (typed.trim() === q ? typed : q)), [q]);
  useEffect(() => {
    if (!typing.current || search.trim() === q) return;
    const t = setTimeout(() => {
      typing.current = false;
      write(search.trim());
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search, q, write]);
  const type = useCallback((text: string) => {
    typing.current = true;
    setSearch(text);
  }, []);
  const clear = useCallback(() => {
    typing.current = false;
    setSearch("");
  }, []);
  return [search, type, clear] as const;
}

const CONTROL = "block w-full min-w-0 rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900";
/** A filter's control under its visible label. */
export const FIELD = `mt-1 ${CONTROL}`;
export const LABEL = "min-w-0 text-xs text-slate-600";

/**
 * A list's search box (the text is `useDebouncedSearch`'s). Labelled "Search" above it; or, in a card's
 * compact filter row (`hiddenLabel`), named by a label only screen readers read, like "Search hosts".
 */
export function SearchField({
  value,
  onType,
  placeholder,
  maxLength = 200,
  hiddenLabel,
}: {
  value: string;
  onType: (text: string) => void;
  placeholder: string;
  maxLength?: number;
  hiddenLabel?: string;
}) {
  return (
    <label className={`${hiddenLabel ? "min-w-0" : LABEL} flex-[2_1_12rem]`}>
      {hiddenLabel ? <span className="sr-only">{hiddenLabel}</span> : "Search"}
      <input
        type="search"
        value={value}
        maxLength={maxLength}
        onChange={(e) => onType(e.target.value)}
        placeholder={placeholder}
        className={hiddenLabel ? CONTROL : FIELD}
      />
    </label>
  );
}

/**
 * The "Site" filter: every site of the partner by clinic name. A site id from the URL that is not (or not yet)
 * among them is kept as an option, so a shared link's filter stays visible instead of silently reading "All".
 */
export function SiteFilter({
  value,
  onChange,
  width,
}: {
  value: string;
  onChange: (site: string) => void;
  width: string;
}) {
  const trpc = useTRPC();
  const sites = useQuery(trpc.sites.list.queryOptions());
  return (
    <label className={`${LABEL} ${width}`}>
      Site
      <select value={value} onChange={(e) => onChange(e.target.value)} className={FIELD}>
        <option value="">All sites</option>
        {value && !sites.data?.some((s) => s.id === value) && <option value={value}>{value}</option>}
        {sites.data?.map((s) => (
          <option key={s.id} value={s.id}>
            {s.clientName}
          </option>
        ))}
      </select>
    </label>
  );
}
