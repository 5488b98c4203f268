"use client";

import type { ReactNode } from "react";
import { CopyButton } from "./copy-button";
import { useFocusOnMount } from "./use-focus";

/**
 * A secret shown once, right after it was made (an API token, an invite link): the value, what to do with it,
 * Copy, and Done, which closes it for good.
 */
export function ShownOnce({
  testId,
  labelId,
  heading,
  value,
  valueTestId,
  valueData,
  warning,
  onDone,
}: {
  testId: string;
  /** The id of an element in `heading` that names the panel (aria-labelledby). */
  labelId?: string;
  heading: ReactNode;
  value: string;
  valueTestId: string;
  /** data-* attributes on the value (tests read the exact value from them). */
  valueData: Record<`data-${string}`, string>;
  warning: ReactNode;
  onDone: () => void;
}) {
  // The new secret takes the focus, so a keyboard or screen-reader user lands on it.
  const panel = useFocusOnMount<HTMLElement>();
  return (
    <section
      ref={panel}
      tabIndex={-1}
      data-testid={testId}
      aria-labelledby={labelId}
      className="space-y-3 rounded-xl border-2 border-[var(--brand)] bg-white p-6"
    >
      {heading}
      <p data-testid={valueTestId} {...valueData} className="break-all rounded-md bg-slate-100 p-3 font-mono text-sm">
        {value}
      </p>
      <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-800">{warning}</p>
      <div className="flex gap-3">
        <CopyButton
          text={value}
          className="rounded-md bg-[var(--brand)] px-4 py-2 font-medium text-[var(--brand-contrast)]"
        />
        <button
          type="button"
          onClick={onDone}
          className="rounded-md px-4 py-2 font-medium text-slate-600 hover:bg-slate-100"
        >
          Done
        </button>
      </div>
    </section>
  );
}
