"use client";

import { useEffect, useState } from "react";

const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box's text, written to the URL (`q`, back to page 1) once typing pauses; follows the URL
 * when it changes by other means (Back, a shared link).
 */
export function useDebouncedSearch(q: string, write: (q: string) => void) {
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch((typed) => (typed.trim() === q ? typed : q)), [q]);
  useEffect(() => {
    if (search.trim() === q) return;
    const t = setTimeout(() => write(search.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search, q, write]);
  return [search, setSearch] as const;
}

export const FIELD = "mt-1 block w-full min-w-0 rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900";
export const LABEL = "min-w-0 text-xs text-slate-600";
