"use client";

import { useEffect, useRef } from "react";
import { ago } from "@/app/lib/time";
import { complianceControl } from "@/server/contracts/compliance-controls";
import type { ComplianceCheckView } from "@/server/contracts/ui";
import { StatusBadge } from "./compliance-status";

/**
 * One cell of the matrix opened: the observed and expected values, when the host was checked and since when
 * the status holds, and the error in the scanner's words. Focus moves to its heading when it opens; Close
 * hands focus back to the cell (onClose).
 */
export function ComplianceCellDetails({
  hostname,
  result,
  onClose,
}: {
  hostname: string;
  result: ComplianceCheckView;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const control = complianceControl(result.check);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      aria-labelledby="compliance-details-heading"
      data-testid="compliance-details"
      className="mx-5 my-3 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3
          id="compliance-details-heading"
          ref={heading}
          tabIndex={-1}
          className="min-w-0 break-all font-medium outline-none"
        >
          {hostname} · {control.name} <span className="font-normal text-slate-600">({control.hipaa_control})</span>
        </h3>
        <button
          type="button"
          onClick={onClose}
          className="rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-medium hover:bg-slate-50"
        >
          Close
          <span className="sr-only">
            {" "}
            details of {hostname} {control.name}
          </span>
        </button>
      </div>
      <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-600">Status</dt>
        <dd>
          <StatusBadge status={result.status} />
        </dd>
        <dt className="text-slate-600">Observed</dt>
        <dd data-testid="details-observed" className="break-words font-mono text-xs">
          {result.observed || "–"}
        </dd>
        <dt className="text-slate-600">Expected</dt>
        <dd className="break-words font-mono text-xs">{result.expected || "–"}</dd>
        <dt className="text-slate-600">Checked</dt>
        <dd>
          <time dateTime={result.checkedAt} title={new Date(result.checkedAt).toLocaleString()}>
            {ago(result.checkedAt)}
          </time>
        </dd>
        <dt className="text-slate-600">{STATUS_SINCE[result.status]} since</dt>
        <dd>
          <time dateTime={result.changedAt} title={new Date(result.changedAt).toLocaleString()}>
            {ago(result.changedAt)}
          </time>
        </dd>
        {result.error && (
          <>
            <dt className="text-slate-600">Error</dt>
            <dd data-testid="details-error" className="break-words text-red-700">
              {result.error}
            </dd>
          </>
        )}
        <dt className="text-slate-600">Why it matters</dt>
        <dd className="text-slate-700">{control.rationale}</dd>
      </dl>
    </section>
  );
}

const STATUS_SINCE: Record<ComplianceCheckView["status"], string> = {
  pass: "Passing",
  fail: "Failing",
  unknown: "Unknown",
  error: "In error",
};
