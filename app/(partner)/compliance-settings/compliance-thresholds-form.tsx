"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@/app/providers";
import { complianceControl } from "@/server/contracts/compliance-controls";
import { QueryError, Skeleton } from "../query-state";

/** Citations come from the one controls table, never written here. */
const cite = (check: string) => `HIPAA ${complianceControl(check).hipaa_control}`;

const input = "mt-1 block w-full min-w-0 rounded-md border border-slate-300 px-3 py-2 disabled:bg-slate-50";

type Field = "patchMaxAgeDays" | "screenLockMaxSeconds" | "defenderSignatureMaxAgeDays" | "rmmAllowList";

const NUMBERS: {
  name: Exclude<Field, "rmmAllowList">;
  label: string;
  unit: string;
  min: number;
  max: number;
  hint: string;
}[] = [
  {
    name: "patchMaxAgeDays",
    label: "Patches: newest update at most",
    unit: "days old",
    min: 1,
    max: 365,
    hint: `${cite("patches")}. The seed's default is 30 days.`,
  },
  {
    name: "screenLockMaxSeconds",
    label: "Screen lock: locks after at most",
    unit: "seconds",
    min: 60,
    max: 3600,
    hint: `${cite("screenlock")}, automatic logoff. Default 600 s (10 minutes).`,
  },
  {
    name: "defenderSignatureMaxAgeDays",
    label: "Defender: signatures at most",
    unit: "days old",
    min: 1,
    max: 60,
    hint: `${cite("defender")}. Windows itself calls signatures out of date after 7 days.`,
  },
];

/** Which field a server error is about, from tRPC's flattened zod error ("patchMaxAgeDays: …"). */
function fieldOf(message: string): Field | undefined {
  return (["patchMaxAgeDays", "screenLockMaxSeconds", "defenderSignatureMaxAgeDays", "rmmAllowList"] as const).find(
    (f) => message.includes(f),
  );
}

export function ComplianceThresholdsForm({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const baseId = useId();
  const statusRef = useRef<HTMLParagraphElement>(null);
  const [saved, setSaved] = useState(false);
  const thresholds = useQuery(trpc.complianceSettings.thresholds.queryOptions());
  const save = useMutation(
    trpc.complianceSettings.updateThresholds.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.complianceSettings.thresholds.queryKey(), data);
        setSaved(true);
      },
    }),
  );
  useEffect(() => {
    if (saved) statusRef.current?.focus();
  }, [saved]);

  if (thresholds.isPending) return <Skeleton rows={4} label="Loading compliance settings" />;
  if (thresholds.isError) {
    return (
      <QueryError what="the compliance settings" error={thresholds.error} onRetry={() => void thresholds.refetch()} />
    );
  }
  const current = thresholds.data;
  const errorField = save.error ? fieldOf(save.error.message) : undefined;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const f = new FormData(event.currentTarget);
    const allow = String(f.get("rmmAllowList") ?? "")
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
    await save.mutateAsync({
      patchMaxAgeDays: Number(f.get("patchMaxAgeDays")),
      screenLockMaxSeconds: Number(f.get("screenLockMaxSeconds")),
      defenderSignatureMaxAgeDays: Number(f.get("defenderSignatureMaxAgeDays")),
      rmmAllowList: allow,
    });
  }

  const errorId = `${baseId}-error`;
  return (
    <form
      onSubmit={(e) => void onSubmit(e).catch(() => {})}
      data-testid="compliance-thresholds-form"
      className="max-w-2xl space-y-5 rounded-lg border border-slate-200 bg-white p-5"
    >
      {NUMBERS.map((n) => (
        <div key={n.name}>
          <label className="block" htmlFor={`${baseId}-${n.name}`}>
            <span className="text-sm font-medium text-slate-700">
              {n.label} ({n.unit})
            </span>
          </label>
          <input
            id={`${baseId}-${n.name}`}
            name={n.name}
            type="number"
            required
            min={n.min}
            max={n.max}
            defaultValue={current[n.name]}
            disabled={!canEdit}
            aria-invalid={errorField === n.name || undefined}
            aria-describedby={`${baseId}-${n.name}-hint${errorField === n.name ? ` ${errorId}` : ""}`}
            className={`${input} sm:w-40`}
          />
          <p id={`${baseId}-${n.name}-hint`} className="mt-1 text-xs text-slate-600">
            {n.hint} Allowed: {n.min}–{n.max}.
          </p>
        </div>
      ))}
      <div>
        <label className="block" htmlFor={`${baseId}-rmm`}>
          <span className="text-sm font-medium text-slate-700">Your own remote-access / RMM tools</span>
        </label>
        <textarea
          id={`${baseId}-rmm`}
          name="rmmAllowList"
          rows={3}
          defaultValue={current.rmmAllowList.join("\n")}
          disabled={!canEdit}
          placeholder={"Datto RMM\nScreenConnect"}
          aria-invalid={errorField === "rmmAllowList" || undefined}
          aria-describedby={`${baseId}-rmm-hint${errorField === "rmmAllowList" ? ` ${errorId}` : ""}`}
          className={input}
        />
        <p id={`${baseId}-rmm-hint`} className="mt-1 text-xs text-slate-600">
          One per line (at most 20). A tool listed here is reported but does not fail the remote-access control (
          {cite("rmm")}); any other remote-access tool found on a server does.
        </p>
      </div>
      {canEdit && (
        <div className="flex flex-wrap items-center justify-end gap-3">
          {save.error && (
            <p id={errorId} role="alert" className="mr-auto min-w-0 break-words text-sm text-red-700">
              {save.error.message}
            </p>
          )}
          {saved && !save.error && (
            <p ref={statusRef} tabIndex={-1} role="status" className="mr-auto text-sm text-emerald-800">
              Saved. Appliances apply it from their next check-in.
            </p>
          )}
          <button
            type="submit"
            disabled={save.isPending}
            className="rounded-md bg-[var(--brand)] px-4 py-2 text-sm font-medium text-[var(--brand-contrast)] disabled:opacity-60"
          >
            {save.isPending ? "Saving…" : "Save settings"}
          </button>
        </div>
      )}
    </form>
  );
}
