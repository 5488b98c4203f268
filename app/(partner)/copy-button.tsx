"use client";

import { useState } from "react";

/** Copies `text` to the clipboard and says so ("Copied"), or says it could not. */
export function CopyButton({ text, className }: { text: string; className: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
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
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select and copy it" : "Copy"}
    </button>
  );
}
