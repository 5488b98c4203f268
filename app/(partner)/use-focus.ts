"use client";

import { type RefObject, useEffect, useRef } from "react";

/** A ref for something that just appeared (a new code, an opened form): it takes the focus when it mounts. */
export function useFocusOnMount<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

/**
 * Focus back to the opener when what it opened closes: `closed` is true while the opened thing is gone.
 * The opener may itself have been re-rendered (it is looked up through the ref after the render), and the
 * focus moves only after a close, not on the first render. On a wrapper element it goes to its first control.
 */
export function useReturnFocus<T extends HTMLElement>(closed: boolean): RefObject<T | null> {
  const ref = useRef<T>(null);
  const wasOpen = useRef(!closed);
  useEffect(() => {
    const el = ref.current;
    if (closed && wasOpen.current && el) {
      // A wrapper (e.g. around a form that came back) passes the focus to its first control.
      const target = el.matches("a,button,input,select,textarea,[tabindex]")
        ? el
        : el.querySelector<HTMLElement>("input,select,textarea,button");
      target?.focus();
    }
    wasOpen.current = !closed;
  }, [closed]);
  return ref;
}
