"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTRPC } from "@/app/providers";
import { errorReason } from "../../query-state";

const CHOICES = [15, 30, 60, 120, 240, 720, 1440] as const;

function label(minutes: number): string {
  if (minutes < 60) return `every ${minutes} minutes`;
  if (minutes === 60) return "every hour";
  if (minutes === 1440) return "once a day";
  return `every ${minutes / 60} hours`;
}

/**
 * How often the site's appliances scan on their own (besides "Scan now"). Admins choose from a list; a change
 * reaches the appliance at its next check-in.
 */
export function ScanSchedule({ siteId, canManage }: { siteId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const schedule = useQuery(trpc.complianceSettings.siteSchedule.queryOptions({ siteId }));
  const save = useMutation(
    trpc.complianceSettings.setSiteSchedule.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.complianceSettings.siteSchedule.queryKey({ siteId }), data),
    }),
  );
  if (schedule.isPending) return <span className="text-sm text-slate-600">Loading schedule…</span>;
  if (schedule.isError) {
    return (
      <span role="alert" className="text-sm text-red-700">
        Schedule unavailable: {errorReason(schedule.error)}{" "}
        <button type="button" onClick={() => schedule.refetch()} className="font-medium underline">
          Retry
        </button>
      </span>
    );
  }
  const minutes = schedule.data.intervalMinutes;
  if (!canManage) return <span className="text-sm text-slate-600">Scans {label(minutes)}</span>;
  const choices = CHOICES.includes(minutes as (typeof CHOICES)[number])
    ? CHOICES
    : [...CHOICES, minutes].sort((a, b) => a - b);
  return (
    <span className="flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor={id} className="text-slate-600">
        Scheduled scans
      </label>
      <select
        id={id}
        value={minutes}
        disabled={save.isPending}
        onChange={(e) => save.mutate({ siteId, intervalMinutes: Number(e.target.value) })}
        className="rounded-md border border-slate-300 bg-white px-2 py-2"
      >
        {choices.map((m) => (
          <option key={m} value={m}>
            {label(m)}
          </option>
        ))}
      </select>
      {save.error && (
        <span role="alert" className="text-red-700">
          {save.error.message}
        </span>
      )}
    </span>
  );
}
