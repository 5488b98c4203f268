"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import type { SiteCredentialView } from "@/server/contracts/ui";
import { ConfirmButton } from "../../confirm-button";

const STATUS_STYLE: Record<string, string> = {
  online: "bg-emerald-100 text-emerald-800",
  offline: "bg-red-100 text-red-800",
  provisioning: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
  revoked: "bg-slate-800 text-white",
};

const TYPES = [
  { value: "winrm", label: "WinRM" },
  { value: "domain_admin", label: "Domain admin" },
  { value: "service_account", label: "Service account" },
  { value: "local_admin", label: "Local admin" },
] as const;

type Credential = SiteCredentialView;

function CredentialForm({
  siteId,
  editing,
  onDone,
}: {
  siteId: string;
  editing: Credential | null;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.sites.get.queryKey({ siteId }) });
  const create = useMutation(trpc.sites.createCredential.mutationOptions({ onSuccess: invalidate }));
  const update = useMutation(trpc.sites.updateCredential.mutationOptions({ onSuccess: invalidate }));
  const error = create.error ?? update.error;
  // Pointing a stored password at another host needs the password again (the server refuses it otherwise):
  // say so before Save, and make the field required.
  const [retargeted, setRetargeted] = useState(false);
  function onTargetChange(event: FormEvent<HTMLFormElement>) {
    if (!editing) return;
    const f = new FormData(event.currentTarget);
    setRetargeted(
      String(f.get("host") ?? "").trim() !== (editing.host ?? "") || (f.get("use_ssl") === "on") !== editing.useSsl,
    );
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (name: string) => String(f.get(name) ?? "").trim();
    const password = String(f.get("password") ?? "");
    if (editing) {
      await update.mutateAsync({
        siteId,
        credentialId: editing.id,
        changes: {
          credential_name: text("credential_name"),
          host: text("host") || null,
          username: text("username"),
          domain: text("domain") || null,
          use_ssl: f.get("use_ssl") === "on",
          ...(password ? { password } : {}),
        },
      });
    } else {
      await create.mutateAsync({
        siteId,
        credential: {
          credential_type: text("credential_type") as Credential["credentialType"],
          credential_name: text("credential_name"),
          host: text("host") || undefined,
          username: text("username"),
          password,
          domain: text("domain") || undefined,
          use_ssl: f.get("use_ssl") === "on",
        },
      });
    }
    onDone();
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <form
      onSubmit={onSubmit}
      onChange={onTargetChange}
      data-testid="credential-form"
      className="grid grid-cols-2 gap-4 border-t border-slate-200 bg-slate-50 p-5 md:grid-cols-3"
    >
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Type</span>
        <select
          name="credential_type"
          defaultValue={editing?.credentialType ?? "winrm"}
          disabled={!!editing}
          className={input}
        >
          {TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Name</span>
        <input
          name="credential_name"
          required
          defaultValue={editing?.credentialName}
          placeholder="File server"
          className={input}
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Host</span>
        <input name="host" defaultValue={editing?.host ?? ""} placeholder="fs01.clinic.local" className={input} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Username</span>
        <input name="username" required defaultValue={editing?.username} autoComplete="off" className={input} />
      </label>
      <div>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Password</span>
          <input
            name="password"
            type="password"
            required={!editing || retargeted}
            autoComplete="new-password"
            placeholder={editing && !retargeted ? "unchanged" : ""}
            aria-describedby={retargeted ? "password-needed" : undefined}
            className={input}
          />
        </label>
        {retargeted && (
          <p id="password-needed" data-testid="password-needed" className="mt-1 block text-xs text-amber-800">
            A new host or HTTPS setting needs the password again, so a stored password never goes to a host it was not
            entered for.
          </p>
        )}
      </div>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Domain</span>
        <input name="domain" defaultValue={editing?.domain ?? ""} placeholder="CLINIC" className={input} />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input name="use_ssl" type="checkbox" defaultChecked={editing?.useSsl ?? false} /> WinRM over HTTPS (port 5986)
      </label>
      <div className="col-span-2 flex items-center justify-end gap-3 md:col-span-2">
        {error && (
          <p role="alert" className="mr-auto text-sm text-red-700">
            {error.message}
          </p>
        )}
        <button
          type="button"
          onClick={onDone}
          className="rounded-md px-4 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100"
        >
          Cancel
        </button>
        <button
          type="submit"
          className="rounded-md bg-[var(--brand)] px-4 py-2 text-sm font-medium text-[var(--brand-contrast)]"
        >
          {editing ? "Save" : "Add credential"}
        </button>
      </div>
    </form>
  );
}

/** `canManage`: a partner admin; technicians see everything but cannot change credentials or appliances. */
export function SiteDetail({ siteId, canManage }: { siteId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const site = useQuery({ ...trpc.sites.get.queryOptions({ siteId }), refetchInterval: 5_000 });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.sites.get.queryKey({ siteId }) });
  const remove = useMutation(trpc.sites.deleteCredential.mutationOptions({ onSuccess: invalidate }));
  const scan = useMutation(trpc.sites.requestScan.mutationOptions());
  const revokeAppliance = useMutation(trpc.sites.revokeAppliance.mutationOptions({ onSuccess: invalidate }));
  const [form, setForm] = useState<{ editing: Credential | null } | null>(null);

  if (site.error) return <p className="text-red-700">{site.error.message}</p>;
  if (!site.data) return <p className="text-slate-500">Loading…</p>;
  const s = site.data;

  return (
    <div className="space-y-8">
      <div className="flex items-start justify-between">
        <div>
          <h1 className="text-2xl font-semibold">{s.clientName}</h1>
          <p className="font-mono text-xs text-slate-500">{s.id}</p>
        </div>
        <button
          type="button"
          onClick={() => scan.mutate({ siteId })}
          className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50"
        >
          {scan.isSuccess ? "Scan requested" : "Scan now"}
        </button>
      </div>

      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 className="border-b border-slate-200 px-5 py-3 font-medium">Appliances</h2>
        {revokeAppliance.error && (
          <p role="alert" className="px-5 py-2 text-sm text-red-700">
            {revokeAppliance.error.message}
          </p>
        )}
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="px-5 py-2 font-medium">Appliance</th>
                <th className="px-5 py-2 font-medium">State</th>
                <th className="px-5 py-2 font-medium">Last check-in</th>
                <th className="px-5 py-2 font-medium">Version</th>
                {canManage && <th className="px-5 py-2" />}
              </tr>
            </thead>
            <tbody>
              {s.appliances.map((a) => (
                <tr key={a.id} data-testid="appliance-row" className="border-t border-slate-100">
                  <td className="px-5 py-3">
                    <p className="font-medium">{a.hostname}</p>
                    <p className="font-mono text-xs text-slate-500">{a.macAddress}</p>
                  </td>
                  <td className="px-5 py-3">
                    <span
                      data-testid="appliance-status"
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.revokedAt ? "revoked" : a.status] ?? ""}`}
                    >
                      {a.revokedAt ? "Revoked" : a.status}
                    </span>
                    {a.revokedAt && (
                      <p className="mt-1 text-xs text-slate-500" data-testid="appliance-revoked-by">
                        by {a.revokedBy}, {ago(a.revokedAt)}
                      </p>
                    )}
                    {!a.revokedAt && a.unusableTargets.length > 0 && (
                      <div
                        data-testid="appliance-unusable"
                        className="mt-2 max-w-sm rounded-md border border-amber-300 bg-amber-50 px-2 py-1.5 text-xs text-amber-900"
                      >
                        <p className="font-medium">
                          Cannot use{" "}
                          {a.unusableTargets.length === 1 ? "a credential" : `${a.unusableTargets.length} credentials`}{" "}
                          (first reported {ago(a.unusableSince)}):
                        </p>
                        <ul className="mt-0.5 list-disc pl-4">
                          {a.unusableTargets.map((t) => (
                            <li key={`${t.hostname} ${t.credentialId ?? ""}`} className="break-all">
                              {s.credentials.find((c) => c.id === t.credentialId)?.credentialName ?? t.hostname}:{" "}
                              {t.reason}
                            </li>
                          ))}
                        </ul>
                        <p className="mt-0.5">
                          {canManage
                            ? "Edit the credential below and enter its password again."
                            : "A partner admin can enter its password again."}
                        </p>
                      </div>
                    )}
                  </td>
                  <td className="px-5 py-3 text-slate-600">{ago(a.lastCheckinAt)}</td>
                  <td className="px-5 py-3 font-mono text-xs">{a.agentVersion ?? "–"}</td>
                  {canManage && (
                    <td className="px-5 py-3 text-right">
                      {!a.revokedAt && (
                        <ConfirmButton
                          label="Revoke"
                          question={`Revoke ${a.hostname} (${a.macAddress})? Its key stops working at its next request and it receives no more credentials. To use the box again, provision it with a new code.`}
                          onConfirm={() => revokeAppliance.mutate({ applianceId: a.id })}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3">
          <div>
            <h2 className="font-medium">Windows credentials</h2>
            <p className="text-xs text-slate-500">
              Encrypted here; appliances receive them at each check-in and keep them in memory only.
            </p>
          </div>
          {canManage && !form && (
            <button
              type="button"
              onClick={() => setForm({ editing: null })}
              className="rounded-md bg-[var(--brand)] px-3 py-1.5 text-sm font-medium text-[var(--brand-contrast)]"
            >
              Add credential
            </button>
          )}
        </div>
        {s.credentials.length === 0 && !form && (
          <p className="px-5 py-6 text-center text-sm text-slate-500">No credentials yet.</p>
        )}
        {s.credentials.length > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Name</th>
                  <th className="px-5 py-2 font-medium">Type</th>
                  <th className="px-5 py-2 font-medium">Host</th>
                  <th className="px-5 py-2 font-medium">Username</th>
                  <th className="px-5 py-2 font-medium">Password</th>
                  <th className="px-5 py-2" />
                </tr>
              </thead>
              <tbody>
                {s.credentials.map((c) => (
                  <tr key={c.id} data-testid="credential-row" className="border-t border-slate-100">
                    <td className="px-5 py-3 font-medium">{c.credentialName}</td>
                    <td className="px-5 py-3">{TYPES.find((t) => t.value === c.credentialType)?.label}</td>
                    <td className="px-5 py-3 font-mono text-xs">
                      {c.host ?? "–"}
                      {c.host && (c.useSsl ? " :5986" : " :5985")}
                    </td>
                    <td className="px-5 py-3 font-mono text-xs">
                      {c.domain ? `${c.domain}\\${c.username}` : c.username}
                    </td>
                    <td className="px-5 py-3 text-slate-400">stored, never shown</td>
                    <td className="space-x-2 whitespace-nowrap px-5 py-3 text-right">
                      {canManage && (
                        <>
                          <button
                            type="button"
                            onClick={() => setForm({ editing: c })}
                            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium"
                          >
                            Edit
                          </button>
                          <ConfirmButton
                            label="Delete"
                            question={`Delete ${c.credentialName}? Appliances lose it at their next check-in.`}
                            onConfirm={() => remove.mutate({ siteId, credentialId: c.id })}
                          />
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {form && <CredentialForm siteId={siteId} editing={form.editing} onDone={() => setForm(null)} />}
      </section>

      <AccessLog siteId={siteId} names={new Map(s.credentials.map((c) => [c.id, c.credentialName]))} />
    </div>
  );
}

const ACCESS_PAGE = 25;

/** Who received the site's credentials: one row per appliance · credential · hour, newest first, paged. */
function AccessLog({ siteId, names }: { siteId: string; names: Map<string, string> }) {
  const trpc = useTRPC();
  // The cursors that led to the page shown; none for the first page.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    ...trpc.sites.credentialAccess.queryOptions({ siteId, limit: ACCESS_PAGE, ...(cursor ? { cursor } : {}) }),
    // The first page follows new check-ins; an older page stays put while it is read.
    refetchInterval: cursor ? false : 5_000,
    placeholderData: keepPreviousData,
  });
  const rows = page.data?.access ?? [];
  const next = page.data?.nextCursor ?? null;
  const time = (iso: string) => new Date(iso).toLocaleTimeString();

  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="border-b border-slate-200 px-5 py-3">
        <h2 className="font-medium">Credential access log</h2>
        <p className="text-xs text-slate-500">Every release of a credential to an appliance, counted per hour.</p>
      </div>
      {page.error && <p className="px-5 py-6 text-sm text-red-700">{page.error.message}</p>}
      {!page.error && rows.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-slate-500">
          {page.data ? "No credential has been released to an appliance yet." : "Loading…"}
        </p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="access-log">
          <thead className="text-slate-500">
            <tr>
              <th className="px-5 py-2 font-medium">When</th>
              <th className="px-5 py-2 font-medium">Credential</th>
              <th className="px-5 py-2 font-medium">Released to</th>
              <th className="px-5 py-2 text-right font-medium">Times</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.applianceId} ${r.credentialId} ${r.firstReleasedAt}`}
                data-testid="access-row"
                className="border-t border-slate-100"
              >
                <td className="px-5 py-2 text-slate-600">
                  {new Date(r.firstReleasedAt).toLocaleDateString()} {time(r.firstReleasedAt)}
                  {r.count > 1 && ` – ${time(r.lastReleasedAt)}`}
                </td>
                <td className="px-5 py-2">{names.get(r.credentialId) ?? "(deleted credential)"}</td>
                <td className="px-5 py-2 font-mono text-xs">{r.applianceId}</td>
                <td className="px-5 py-2 text-right tabular-nums">{r.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(cursor || next) && (
        <div className="flex justify-end gap-2 border-t border-slate-200 px-5 py-3">
          <button
            type="button"
            disabled={!cursor}
            onClick={() => setCursors((c) => c.slice(0, -1))}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium disabled:opacity-40"
          >
            Newer
          </button>
          <button
            type="button"
            disabled={!next}
            onClick={() => next && setCursors((c) => [...c, next])}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium disabled:opacity-40"
          >
            Older
          </button>
        </div>
      )}
    </section>
  );
}
