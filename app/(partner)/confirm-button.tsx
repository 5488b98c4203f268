"use client";

const TONE = {
  danger: "border border-red-200 text-red-700 hover:bg-red-50",
  brand: "bg-[var(--brand)] text-[var(--brand-contrast)] disabled:opacity-60",
} as const;

/**
 * A row action that needs a second thought (Revoke, Delete; Approve all, which hands the domain credential to
 * servers): asks the person to confirm `question`, then runs `onConfirm`.
 */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  onConfirm,
  tone = "danger",
  disabled = false,
}: {
  label: string;
  /** The accessible name when `label` alone does not say which row ("Delete credential File server"). */
  ariaLabel?: string;
  question: string;
  onConfirm: () => void;
  tone?: keyof typeof TONE;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      disabled={disabled}
      aria-label={ariaLabel}
      onClick={() => {
        if (window.confirm(question)) onConfirm();
      }}
      className={`rounded-md px-3 py-1 text-xs font-medium ${TONE[tone]}`}
    >
      {label}
    </button>
  );
}
