"use client";

import { type RefObject, useEffect, useRef } from "react";

/**
 * After a refused submit, the focus goes to the form's first field marked `aria-invalid`, so a keyboard or
 * screen-reader user lands where the fix is (its `aria-describedby` reads the reason). `attempt` changes on
 * every refusal (a counter), so the same error twice moves the focus again.
 */
export function useFocusFirstInvalid<T extends HTMLElement>(attempt: number): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (attempt > 0) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
  return ref;
}
