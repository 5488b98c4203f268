"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { type FormEvent, useEffect, useState } from "react";
import { useTRPC } from "@/app/providers";
import type { ProvisionCodeCreatedView, ProvisioningActivityView } from "@/server/contracts/ui";
import { ConfirmButton } from "../confirm-button";
import { CopyButton } from "../copy-button";
import { QueryError, Skeleton } from "../query-state";
import { useFocusOnMount, useReturnFocus } from "../use-focus";

const LIFETIMES = [
  { label: "1 hour", seconds: 3600 },
  { label: "1 day", seconds: 86_400 },
  { label: "7 days", seconds: 7 * 86_400 },
  { label: "30 days", seconds: 30 * 86_400 },
];

const STATE_STYLE: Record<string, string> = {
  pending: "bg-blue-100 text-blue-800",
  claimed: "bg-emerald-100 text-emerald-800",
  expired: "bg-slate-200 text-slate-700",
  revoked: "bg-slate-200 text-slate-700",
};

type Created = ProvisionCodeCreatedView;

function CreatedCode({ created, onDone }: { created: Created; onDone: () => void }) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    QRCode.toDataURL(created.code, { margin: 1, width: 240, errorCorrectionLevel: "M" }).then(setQr);
  }, [created.code]);
  const grouped = created.code.match(/.{4}/g)?.join(" ") ?? created.code;
  // The new code takes the focus, so a keyboard or screen-reader user lands on it.
  const panel = useFocusOnMount<HTMLElement>();
  return (
    <section
      ref={panel}
      tabIndex={-1}
      aria-label={`Provision code for ${created.clientName}`}
      data-testid="created-code"
      className="rounded-xl border-2 border-[var(--brand)] bg-white p-6 shadow-sm print:border-0 print:shadow-none"
    >
      <div className="flex flex-wrap items-start gap-8">
        <div className="flex-1 space-y-3">
          <p className="text-sm text-slate-500">Provision code for</p>
          <p className="text-xl font-semibold">{created.clientName}</p>
          <p data-testid="code-value" data-code={created.code} className="font-mono text-4xl font-bold tracking-widest">
            {grouped}
          </p>
          <p className="text-sm text-slate-500">
            Expires {new Date(created.expiresAt).toLocaleString()}. On the appliance:{" "}
            <code>osiris-appliance --provision CODE</code>, or type it at the provisioning prompt.
          </p>
          <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-800 print:hidden">
            This is the only time the full code is shown. Print it or copy it now.
          </p>
          <div className="flex gap-3 print:hidden">
            <button
              type="button"
              onClick={() => window.print()}
              className="rounded-md bg-[var(--brand)] px-4 py-2 font-medium text-[var(--brand-contrast)]"
            >
              Print
            </button>
            <CopyButton text={created.code} className="rounded-md border border-slate-300 px-4 py-2 font-medium" />
            <button
              type="button"
              onClick={onDone}
              className="rounded-md px-4 py-2 font-medium text-slate-600 hover:bg-slate-100"
            >
              Done
            </button>
          </div>
        </div>
        {qr && (
          // biome-ignore lint/performance/noImgElement: a data: URL generated in the browser; next/image adds nothing
          <img
            data-testid="code-qr"
            src={qr}
            alt={`QR code for provision code ${created.code}`}
            width={240}
            height={240}
            // A white frame (invisible on the light card): on a dark card the code keeps a light quiet zone of
            // about 3 modules with its own 1-module margin, so it still scans.
            className="ring-[16px] ring-paper"
          />
        )}
      </div>
    </section>
  );
}

function Progress({ appliance }: { appliance: NonNullable<ActivityRow["appliance"]> }) {
  const pct = appliance.progress ?? 0;
  return (
    <div className="min-w-48 space-y-1" data-testid="appliance-progress">
      <div className="flex justify-between text-xs">
        <span className="font-mono">{appliance.hostname}</span>
        <span data-testid="appliance-state">
          {appliance.status === "online" ? "provisioned" : (appliance.provisionStatus ?? appliance.status)}
        </span>
      </div>
      <div className="h-2 rounded bg-slate-200">
        <div className="h-2 rounded bg-[var(--brand)]" style={{ width: `${pct}%` }} />
      </div>
      {appliance.message && <p className="text-xs text-slate-500">{appliance.message}</p>}
    </div>
  );
}

type ActivityRow = ProvisioningActivityView[number];

export function ProvisionCodes() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Polled, so a box that provisions shows up here without a reload.
  const list = useQuery({ ...trpc.provisionCodes.list.queryOptions(), refetchInterval: 2_000 });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.provisionCodes.list.queryKey() });
  const create = useMutation(trpc.provisionCodes.create.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.provisionCodes.revoke.mutationOptions({ onSuccess: invalidate }));
  const [created, setCreated] = useState<Created | null>(null);
  // Done puts the focus back on Create code.
  const createButton = useReturnFocus<HTMLButtonElement>(created === null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await create.mutateAsync({
      clientName: String(form.get("clientName") ?? ""),
      ttlSeconds: Number(form.get("ttlSeconds")),
    });
    setCreated(result);
    event.currentTarget?.reset();
  }

  const fieldErrors = create.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const fieldError = fieldErrors?.clientName?.[0];

  return (
    <div className="space-y-8">
      {created ? (
        <CreatedCode created={created} onDone={() => setCreated(null)} />
      ) : (
        <form
          onSubmit={onSubmit}
          className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:flex-row sm:flex-wrap sm:items-end"
        >
          <label className="block min-w-0 flex-1">
            <span className="text-sm font-medium text-slate-700">Clinic (client name)</span>
            <input
              name="clientName"
              required
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={create.error ? "create-code-error" : undefined}
              maxLength={100}
              placeholder="Smith Family Clinic"
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Valid for</span>
            <select
              name="ttlSeconds"
              defaultValue={String(7 * 86_400)}
              className="mt-1 block rounded-md border border-slate-300 px-3 py-2"
            >
              {LIFETIMES.map((l) => (
                <option key={l.seconds} value={l.seconds}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          <button
            ref={createButton}
            type="submit"
            disabled={create.isPending}
            className="rounded-md bg-[var(--brand)] px-4 py-2 font-medium text-[var(--brand-contrast)] disabled:opacity-60"
          >
            {create.isPending ? "Creating…" : "Create code"}
          </button>
          {create.error && (
            <p id="create-code-error" role="alert" className="w-full text-sm text-red-700">
              {fieldError ? `Client name ${fieldError}.` : create.error.message}
            </p>
          )}
        </form>
      )}

      <section className="rounded-xl border border-slate-200 bg-white shadow-sm print:hidden">
        <h2 className="border-b border-slate-200 px-5 py-3 font-medium">Codes</h2>
        {list.error && (
          <QueryError
            what="provision codes"
            error={list.error}
            onRetry={() => list.refetch()}
            updatedAt={list.dataUpdatedAt}
          />
        )}
        {!list.data && !list.error && <Skeleton rows={3} label="Loading provision codes" />}
        {list.data?.length === 0 && (
          <p className="px-5 py-8 text-center text-sm text-slate-500">No provision codes yet.</p>
        )}
        {list.data && list.data.length > 0 && (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways on a phone must take the keyboard focus (axe scrollable-region-focusable)
          <section className="overflow-x-auto" tabIndex={0} aria-label="Provision codes table">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <thead className="text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Clinic</th>
                  <th className="px-5 py-2 font-medium">Code</th>
                  <th className="px-5 py-2 font-medium">State</th>
                  <th className="px-5 py-2 font-medium">Expires</th>
                  <th className="px-5 py-2 font-medium">Appliance</th>
                  <th className="px-5 py-2" />
                </tr>
              </thead>
              <tbody>
                {list.data.map((c) => (
                  <tr key={c.id} data-testid={`code-row-${c.id}`} className="border-t border-slate-100 align-top">
                    <td className="max-w-[16rem] break-words px-5 py-3">{c.clientName}</td>
                    <td className="px-5 py-3 font-mono text-xs">{c.codePrefix}••••••••••••</td>
                    <td className="px-5 py-3">
                      <span
                        data-testid="code-state"
                        className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLE[c.status] ?? ""}`}
                      >
                        {c.status}
                      </span>
                    </td>
                    <td className="px-5 py-3 text-slate-500">{new Date(c.expiresAt).toLocaleString()}</td>
                    <td className="px-5 py-3">
                      {c.appliance ? <Progress appliance={c.appliance} /> : <span className="text-slate-600">–</span>}
                    </td>
                    <td className="px-5 py-3 text-right">
                      {c.status === "pending" && (
                        <ConfirmButton
                          label="Revoke"
                          ariaLabel={`Revoke code for ${c.clientName}`}
                          question={`Revoke the code for ${c.clientName}? An appliance can no longer use it.`}
                          onConfirm={() => revoke.mutate({ id: c.id })}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
    </div>
  );
}
