"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import type { ApiTokenCreatedView, ApiTokenView } from "@/server/contracts/ui";
import { ConfirmButton } from "../confirm-button";
import { QueryError, Skeleton } from "../query-state";
import { ShownOnce } from "../shown-once";
import { useReturnFocus } from "../use-focus";

const EXPIRIES = [
  { label: "Never", days: 0 },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
];

type Created = ApiTokenCreatedView;

function tokenState(t: Pick<ApiTokenView, "revokedAt" | "expiresAt">): "active" | "revoked" | "expired" {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && new Date(t.expiresAt) <= new Date()) return "expired";
  return "active";
}

const STATE_STYLE = {
  active: "bg-emerald-100 text-emerald-800",
  revoked: "bg-slate-200 text-slate-700",
  expired: "bg-slate-200 text-slate-700",
};

function CreatedToken({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <ShownOnce
      testId="created-token"
      heading={
        <p className="text-sm text-slate-500">
          New <strong>{created.scope}</strong> token <strong>{created.name}</strong>
          {created.expiresAt ? `, expires ${new Date(created.expiresAt).toLocaleDateString()}` : ", never expires"}
        </p>
      }
      value={created.token}
      valueTestId="token-value"
      valueData={{ "data-token": created.token }}
      warning="This is the only time the token is shown. Copy it now and keep it in a secret store."
      onDone={onDone}
    />
  );
}

export function ApiTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.apiTokens.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiTokens.list.queryKey() });
  const create = useMutation(trpc.apiTokens.create.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.apiTokens.revoke.mutationOptions({ onSuccess: invalidate }));
  const [created, setCreated] = useState<Created | null>(null);
  // Done puts the focus back on Create token.
  const createButton = useReturnFocus<HTMLButtonElement>(created === null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const days = Number(form.get("expiresDays"));
    const result = await create.mutateAsync({
      name: String(form.get("name") ?? ""),
      scope: form.get("scope") === "full" ? "full" : "read",
      ...(days > 0 ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}),
    });
    setCreated(result);
    formEl.reset();
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <div className="space-y-8">
      {created ? (
        <CreatedToken created={created} onDone={() => setCreated(null)} />
      ) : (
        <form
          onSubmit={onSubmit}
          data-testid="token-form"
          className="grid grid-cols-1 items-end gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:grid-cols-[1fr_auto_auto_auto]"
        >
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Name</span>
            <input name="name" required maxLength={100} placeholder="Billing export" className={input} />
          </label>
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Scope</span>
            <select name="scope" defaultValue="read" className={input}>
              <option value="read">read (GET only)</option>
              <option value="full">full (partner admin)</option>
            </select>
          </label>
          <label className="block">
            <span className="text-sm font-medium text-slate-700">Expires</span>
            <select name="expiresDays" defaultValue="90" className={input}>
              {EXPIRIES.map((e) => (
                <option key={e.days} value={e.days}>
                  {e.label}
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
            {create.isPending ? "Creating…" : "Create token"}
          </button>
          {create.error && (
            <p role="alert" className="text-sm text-red-700 sm:col-span-4">
              {create.error.message}
            </p>
          )}
        </form>
      )}

      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 className="border-b border-slate-200 px-5 py-3 font-medium">Tokens</h2>
        {list.error && (
          <QueryError
            what="API tokens"
            error={list.error}
            onRetry={() => list.refetch()}
            updatedAt={list.dataUpdatedAt}
          />
        )}
        {!list.data && !list.error && <Skeleton rows={3} label="Loading API tokens" />}
        {revoke.error && (
          <p role="alert" className="px-5 py-2 text-sm text-red-700">
            {revoke.error.message}
          </p>
        )}
        {list.data?.length === 0 && <p className="px-5 py-8 text-center text-sm text-slate-500">No API tokens.</p>}
        {list.data && list.data.length > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <thead className="text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Name</th>
                  <th className="px-5 py-2 font-medium">Scope</th>
                  <th className="px-5 py-2 font-medium">Token</th>
                  <th className="px-5 py-2 font-medium">Last used</th>
                  <th className="px-5 py-2 font-medium">Expires</th>
                  <th className="px-5 py-2 font-medium">State</th>
                  <th className="px-5 py-2" />
                </tr>
              </thead>
              <tbody>
                {list.data.map((t) => {
                  const state = tokenState(t);
                  return (
                    <tr key={t.id} data-testid="token-row" className="border-t border-slate-100">
                      <td className="px-5 py-3 font-medium">{t.name}</td>
                      <td className="px-5 py-3">{t.scope}</td>
                      <td className="px-5 py-3 font-mono text-xs">{t.prefix}…</td>
                      <td className="px-5 py-3 text-slate-600">{t.lastUsedAt ? ago(t.lastUsedAt) : "never"}</td>
                      <td className="px-5 py-3 text-slate-600">
                        {t.expiresAt ? new Date(t.expiresAt).toLocaleDateString() : "never"}
                      </td>
                      <td className="px-5 py-3">
                        <span
                          data-testid="token-state"
                          className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLE[state]}`}
                        >
                          {state}
                        </span>
                      </td>
                      <td className="px-5 py-3 text-right">
                        {state === "active" && (
                          <ConfirmButton
                            label="Revoke"
                            ariaLabel={`Revoke token ${t.name}`}
                            question={`Revoke the token "${t.name}"? Anything using it gets 401 from its next request.`}
                            onConfirm={() => revoke.mutate({ id: t.id })}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
