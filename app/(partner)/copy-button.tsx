"use client";

import { useEffect, useState } from "react";

/**
 * Copies `text` to the clipboard and says so ("Copied"), or says it could not. The outcome is also spoken
 * by screen readers through a polite live region, and the button returns to "Copy" after a few seconds.
 */
export function CopyButton({ text, className, label }: { text: string; className: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state !== "copied") return;
    const t = setTimeout(() => setState("idle"), 4000);
    return () => clearTimeout(t);
  }, [state]);
  const message = state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select and copy it" : "";
  return (
    <>
      <button
        type="button"
        aria-label={label}
        onClick={() =>
          navigator.clipboard
            ? navigator.clipboard.writeText(text).then(
                () => setState("copied"),
                () => setState("failed"),
              )
            : setState("failed")
        }
        className={className}
      >
        {message || "Copy"}
      </button>
      <span role="status" aria-live="polite" className="sr-only">
        {message}
      </span>
    </>
  );
}
