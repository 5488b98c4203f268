"use client";

import { useCallback, useEffect, useRef, useState } from "react";

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

export const FIELD = "mt-1 block w-full min-w-0 rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900";
export const LABEL = "min-w-0 text-xs text-slate-600";
