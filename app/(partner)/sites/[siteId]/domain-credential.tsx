"use client";

import { useState } from "react";
import { ago } from "@/app/lib/time";
import type { DomainCredentialMetadataView, DomainCredentialView } from "@/server/contracts/ui";
import { DomainCredentialForm } from "./domain-credential-form";

/** "by Dana Lee (dana@msp.example)", "by token ci-deploy", or "by a script" (from the audit log). */
function EnteredBy({ by }: { by: NonNullable<DomainCredentialMetadataView["enteredBy"]> }) {
  const who =
    by.actorType === "user"
      ? [by.name, by.email && `(${by.email})`].filter(Boolean).join(" ") || "a removed user"
      : by.actorType === "token"
        ? `API token ${by.name ?? "(revoked)"}`
        : "a script";
  return <> by {who}</>;
}

/**
 * The domain credential: its metadata (never the password) for everyone; the form to enter or replace it for
 * partner admins only (the procedure refuses technicians regardless).
 */
export function DomainCredential({
  siteId,
  credential,
  canManage,
  discoveredDomain,
  enteredBy = null,
}: {
  siteId: string;
  credential: DomainCredentialView | null;
  enteredBy?: DomainCredentialMetadataView["enteredBy"];
  canManage: boolean;
  discoveredDomain: string | null;
}) {
  const [replacing, setReplacing] = useState(false);
  const editing = canManage && (!credential || replacing);

  return (
    <div className="min-w-0 space-y-3">
      {credential && (
        <dl data-testid="domain-credential-meta" className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-600">Account</dt>
          <dd className="min-w-0 break-all font-mono text-xs leading-5">
            {credential.domain ? `${credential.domain}\\${credential.username}` : credential.username}
          </dd>
          <dt className="text-slate-600">Password</dt>
          <dd className="text-slate-600">stored encrypted, never shown</dd>
          <dt className="text-slate-600">CA certificate</dt>
          <dd>{credential.caPem ? "supplied" : "none (DC certificates pinned by fingerprint)"}</dd>
          <dt className="text-slate-600">Entered</dt>
          <dd data-testid="domain-credential-entered" className="min-w-0 break-words">
            {ago(enteredBy?.at ?? credential.updatedAt)}
            {enteredBy && <EnteredBy by={enteredBy} />}
          </dd>
        </dl>
      )}
      {!credential && !canManage && (
        <p data-testid="domain-credential-none" className="text-sm text-slate-600">
          No domain credential yet. A partner admin enters it here.
        </p>
      )}
      {credential && canManage && !replacing && (
        <button
          type="button"
          onClick={() => setReplacing(true)}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          Replace credential
        </button>
      )}
      {editing && (
        <DomainCredentialForm
          siteId={siteId}
          domain={credential?.domain ?? discoveredDomain ?? ""}
          username={replacing ? (credential?.username ?? "") : ""}
          onDone={() => setReplacing(false)}
          onCancel={credential ? () => setReplacing(false) : undefined}
        />
      )}
    </div>
  );
}
