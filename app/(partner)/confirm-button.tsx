"use client";

/** A destructive row action (Revoke, Delete): asks the person to confirm `question`, then runs `onConfirm`. */
export function ConfirmButton({
  label,
  question,
  onConfirm,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
}) {
  return (
    <button
      type="button"
      onClick={() => {
        if (window.confirm(question)) onConfirm();
      }}
      className="rounded-md border border-red-200 px-3 py-1 text-xs font-medium text-red-700 hover:bg-red-50"
    >
      {label}
    </button>
  );
}
