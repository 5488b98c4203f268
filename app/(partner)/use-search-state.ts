"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

/**
 * A list's state (search, filters, sort, page) kept in the URL's search params, so a filtered view can be
 * shared or bookmarked and Back works. `read` falls back to the default for a missing or unknown value;
 * `write` drops defaults and empty values, so a plain view keeps a plain URL.
 */
export function useSearchState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const read = useCallback(
    <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
      const value = params.get(key);
      return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
    },
    [params],
  );
  const readText = useCallback((key: string) => params.get(key) ?? "", [params]);
  const readPage = useCallback(
    (key: string) => {
      const n = Number(params.get(key));
      return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
    },
    [params],
  );
  const write = useCallback(
    (changes: Record<string, string | number | null>, defaults: Record<string, string | number> = {}) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "" || value === defaults[key]) next.delete(key);
        else next.set(key, String(value));
      }
      const query = next.toString();
      router.replace(`${pathname}${query ? `?${query}` : ""}`, { scroll: false });
    },
    [params, router, pathname],
  );
  return { read, readText, readPage, write };
}
