"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId } from "react";
import { useTRPC } from "@/app/providers";

const input = "mt-1 block w-full min-w-0 rounded-md border border-slate-300 px-3 py-2";

/**
 * The site's ONE domain credential (partner admins). Saving replaces the previous one and asks the appliances to
 * enumerate; the password goes to the server once and is never shown again (the form is emptied).
 */
export function DomainCredentialForm({
  siteId,
  domain,
  username,
  onDone,
  onCancel,
}: {
  siteId: string;
  /** Prefilled: the current credential's domain, else the discovered one. */
  domain: string;
  username: string;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hintId = useId();
  // The DC certificates shown beside the form (dc-certificates.tsx): saving trusts the ones of this domain.
  const dcs = useQuery(trpc.sites.domainControllers.queryOptions({ siteId }));
  const presentedFor = (d: string) =>
    (dcs.data?.domainControllers ?? []).flatMap((dc) =>
      dc.domain === d.toLowerCase() && dc.presented ? [dc.presented.sha256] : [],
    );
  const save = useMutation(
    trpc.sites.setDomainCredential.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.sites.domainCredential.queryKey({ siteId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.sites.get.queryKey({ siteId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.sites.domainControllers.queryKey({ siteId }) }),
        ]),
    }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const caPem = String(f.get("caPem") ?? "").trim();
    const acceptCertificates = presentedFor(String(f.get("domain") ?? "").trim());
    await save.mutateAsync({
      siteId,
      credential: {
        domain: String(f.get("domain") ?? "").trim(),
        username: String(f.get("username") ?? "").trim(),
        password: String(f.get("password") ?? ""),
        ...(caPem ? { caPem: `${caPem}\n` } : {}),
        ...(acceptCertificates.length ? { acceptCertificates } : {}),
      },
    });
    form.reset();
    onDone();
  }

  return (
    <form
      onSubmit={(e) => void onSubmit(e).catch(() => {})}
      data-testid="domain-credential-form"
      className="grid gap-3 sm:grid-cols-2"
    >
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Domain</span>
        <input name="domain" required defaultValue={domain} placeholder="clinic.local" className={input} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Username</span>
        <input
          name="username"
          required
          defaultValue={username}
          autoComplete="off"
          placeholder="e.g. osiris-svc"
          className={input}
        />
      </label>
      <label className="block sm:col-span-2">
        <span className="text-sm font-medium text-slate-700">Password</span>
        <input name="password" type="password" required autoComplete="new-password" className={input} />
      </label>
      <div className="sm:col-span-2">
        <label className="block">
          <span className="text-sm font-medium text-slate-700">CA certificate (PEM, optional)</span>
          <textarea
            name="caPem"
            rows={3}
            spellCheck={false}
            aria-describedby={hintId}
            placeholder="-----BEGIN CERTIFICATE-----"
            className={`${input} font-mono text-xs`}
          />
        </label>
        <p id={hintId} className="mt-1 block text-xs text-slate-600">
          Only needed when the domain controllers' certificates come from your own (enterprise) CA and you want the
          appliance to check them against it. Saving trusts the DC certificates whose fingerprints are shown beside this
          form (with none shown yet, the appliance trusts each DC's certificate on first use); enumeration stops if one
          later changes.
        </p>
      </div>
      <div className="flex flex-wrap items-center justify-end gap-3 sm:col-span-2">
        {save.error && (
          <p role="alert" className="mr-auto min-w-0 break-words text-sm text-red-700">
            {save.error.message}
          </p>
        )}
        {onCancel && (
          <button
            type="button"
            onClick={onCancel}
            className="rounded-md px-4 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100"
          >
            Cancel
          </button>
        )}
        <button
          type="submit"
          disabled={save.isPending}
          className="rounded-md bg-[var(--brand)] px-4 py-2 text-sm font-medium text-[var(--brand-contrast)] disabled:opacity-60"
        >
          {save.isPending ? "Saving…" : "Save and enumerate"}
        </button>
      </div>
    </form>
  );
}
