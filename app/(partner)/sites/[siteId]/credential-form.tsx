"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/app/providers";
import type { SiteCredentialView } from "@/server/contracts/ui";

export const TYPES = [
  { value: "winrm", label: "WinRM" },
  { value: "domain_admin", label: "Domain admin" },
  { value: "service_account", label: "Service account" },
  { value: "local_admin", label: "Local admin" },
] as const;

type Credential = SiteCredentialView;

/** Add or edit one of the site's Windows credentials (partner admins). */
export function CredentialForm({
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
  const fieldErrors = error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  // A field the server refused is marked invalid and described by the error message.
  const invalid = (name: string) =>
    fieldErrors?.[name] || fieldErrors?.[`credential.${name}`] || fieldErrors?.[`changes.${name}`]
      ? { "aria-invalid": true as const, "aria-describedby": "credential-form-error" }
      : {};
  // The opened form takes the focus on its first field you can change (Type when adding, Name when editing).
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>("select:not([disabled]), input:not([disabled])")?.focus();
  }, []);
  // Pointing a stored password at another host needs the password again (the server refuses it otherwise):
  // say so before Save, and make the field required.
  const [retargeted, setRetargeted] = useState(false);
  function onTargetChange(event: FormEvent<HTMLFormElement>) {
    if (!editing) return;
    const f = new FormData(event.currentTarget);
    setRetargeted(
      String(f.get("host") ?? "").trim() !== (editing.host ?? "") || (f.get("useSsl") === "on") !== editing.useSsl,
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
          credentialName: text("credentialName"),
          host: text("host") || null,
          username: text("username"),
          domain: text("domain") || null,
          useSsl: f.get("useSsl") === "on",
          ...(password ? { password } : {}),
        },
      });
    } else {
      await create.mutateAsync({
        siteId,
        credential: {
          credentialType: text("credentialType") as Credential["credentialType"],
          credentialName: text("credentialName"),
          host: text("host") || undefined,
          username: text("username"),
          password,
          domain: text("domain") || undefined,
          useSsl: f.get("useSsl") === "on",
        },
      });
    }
    onDone();
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <form
      ref={formRef}
      aria-label={editing ? `Edit credential ${editing.credentialName}` : "Add credential"}
      onSubmit={onSubmit}
      onChange={onTargetChange}
      data-testid="credential-form"
      className="grid grid-cols-1 gap-4 border-t border-slate-200 bg-slate-50 p-5 sm:grid-cols-2 md:grid-cols-3"
    >
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Type</span>
        <select
          name="credentialType"
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
          name="credentialName"
          {...invalid("credentialName")}
          required
          defaultValue={editing?.credentialName}
          placeholder="File server"
          className={input}
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Host</span>
        <input
          name="host"
          {...invalid("host")}
          defaultValue={editing?.host ?? ""}
          placeholder="fs01.clinic.local"
          className={input}
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Username</span>
        <input
          name="username"
          {...invalid("username")}
          required
          defaultValue={editing?.username}
          autoComplete="off"
          className={input}
        />
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
            aria-invalid={fieldErrors?.password || fieldErrors?.["credential.password"] ? true : undefined}
            aria-describedby={
              [retargeted ? "password-needed" : "", error ? "credential-form-error" : ""].filter(Boolean).join(" ") ||
              undefined
            }
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
        <input
          name="domain"
          {...invalid("domain")}
          defaultValue={editing?.domain ?? ""}
          placeholder="CLINIC"
          className={input}
        />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input name="useSsl" type="checkbox" defaultChecked={editing?.useSsl ?? false} /> WinRM over HTTPS (port 5986)
      </label>
      <div className="flex flex-wrap items-center justify-end gap-3 sm:col-span-2">
        {error && (
          <p id="credential-form-error" role="alert" className="mr-auto text-sm text-red-700">
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
