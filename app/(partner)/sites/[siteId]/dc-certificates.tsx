"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@/app/providers";
import type { DomainControllerView } from "@/server/contracts/ui";
import { QueryError, Skeleton } from "../../query-state";

/**
 * Each domain controller's certificate, beside the domain credential form (id dc-certificates, where the
 * dc_certificate_changed alert points): the SHA-256 fingerprint it presents, to compare with the one on the DC,
 * whether it is trusted, and why none could be read. After a change, partner admins accept the new certificate
 * here (a confirmation dialog repeats the fingerprint); the appliance then enumerates again with the new pin.
 */
export function DcCertificates({ siteId, canManage }: { siteId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.sites.domainControllers.queryOptions({ siteId }));
  const [done, setDone] = useState<{ text: string; n: number } | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  // The dialog is gone: focus lands on what happened (once it is rendered).
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  if (list.error) {
    return <QueryError what="the domain controllers' certificates" error={list.error} onRetry={() => list.refetch()} />;
  }
  if (!list.data) return <Skeleton rows={2} label="Loading the domain controllers' certificates" />;
  const dcs = list.data.domainControllers;
  return (
    <div id="dc-certificates" className="mt-4 scroll-mt-4" data-testid="dc-certificates">
      <h3 className="mb-2 text-sm font-medium text-slate-700">Domain controller certificates</h3>
      {dcs.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="dc-certificates-empty">
          No domain controller reported yet. Discovery reads each DC's certificate so you can compare its fingerprint
          before entering the credential.
        </p>
      ) : (
        <ul className="space-y-3">
          {dcs.map((dc) => (
            <DcCertificateItem
              key={`${dc.domain} ${dc.hostname}`}
              siteId={siteId}
              dc={dc}
              canManage={canManage}
              onAccepted={(text) => setDone((d) => ({ text, n: (d?.n ?? 0) + 1 }))}
            />
          ))}
        </ul>
      )}
      <p
        ref={doneRef}
        tabIndex={-1}
        role="status"
        data-testid="dc-certificate-accepted"
        className="mt-2 text-sm text-emerald-800 empty:hidden"
      >
        {done?.text}
      </p>
    </div>
  );
}

function Fingerprint({ value }: { value: string }) {
  return <code className="block break-all font-mono text-xs leading-5 text-slate-900">{value}</code>;
}

function DcCertificateItem({
  siteId,
  dc,
  canManage,
  onAccepted,
}: {
  siteId: string;
  dc: DomainControllerView;
  canManage: boolean;
  onAccepted: (text: string) => void;
}) {
  const { presented, trusted } = dc;
  const changed = !!presented && !!trusted && presented.sha256 !== trusted.sha256;
  return (
    <li data-testid="dc-certificate" className="min-w-0 rounded-md border border-slate-200 px-3 py-2 text-sm">
      <p className="break-all font-mono text-xs font-medium">{dc.hostname}</p>
      {presented ? (
        <>
          <p className="mt-1 text-xs text-slate-600">
            SHA-256{" "}
            {presented.status === "trusted" ? (
              <span className="font-medium text-emerald-800">trusted</span>
            ) : changed ? (
              <span className="font-medium text-red-700">changed: enumeration stops until you accept it</span>
            ) : (
              <span className="font-medium text-amber-900">not yet accepted</span>
            )}
          </p>
          <Fingerprint value={presented.sha256} />
          <p className="mt-0.5 break-words text-xs text-slate-600">
            Issued by {presented.issuer || "unknown"}
            {presented.notAfter && <>, valid until {new Date(presented.notAfter).toLocaleDateString()}</>}
          </p>
          {changed && trusted && (
            <div className="mt-1 text-xs text-slate-600">
              Previously trusted:
              <Fingerprint value={trusted.sha256} />
            </div>
          )}
          {canManage && presented.status === "pending" && (
            <AcceptCertificate siteId={siteId} dc={dc} sha256={presented.sha256} onAccepted={onAccepted} />
          )}
        </>
      ) : (
        <p className="mt-1 break-words text-xs text-amber-900" data-testid="dc-certificate-problem">
          {dc.certificateProblem ?? "No certificate read yet."}
        </p>
      )}
    </li>
  );
}

function AcceptCertificate({
  siteId,
  dc,
  sha256,
  onAccepted,
}: {
  siteId: string;
  dc: DomainControllerView;
  sha256: string;
  onAccepted: (text: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const accepted = useRef(false);
  const accept = useMutation(
    trpc.sites.acceptDcCertificate.mutationOptions({
      onSuccess: async () => {
        accepted.current = true;
        dialogRef.current?.close();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.sites.domainControllers.queryKey({ siteId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.sites.get.queryKey({ siteId }) }),
        ]);
      },
    }),
  );
  return (
    <>
      <button
        ref={openerRef}
        type="button"
        onClick={() => {
          accept.reset();
          dialogRef.current?.showModal();
          // The safe choice has the focus when the dialog opens.
          cancelRef.current?.focus();
        }}
        className="mt-2 rounded-md bg-[var(--brand)] px-3 py-1 text-xs font-medium text-[var(--brand-contrast)]"
      >
        Accept certificate
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        data-testid="accept-certificate-dialog"
        // Dismissed: focus goes back to the button that opened it; accepted: to the outcome (the button goes away).
        onClose={() => {
          if (accepted.current) {
            accepted.current = false;
            onAccepted(`Accepted the certificate of ${dc.hostname}; the appliance enumerates again with it.`);
          } else {
            openerRef.current?.focus();
          }
        }}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-ink/40"
      >
        <div className="space-y-3 p-5 text-sm">
          <h2 id={titleId} className="font-medium">
            Trust the certificate of {dc.hostname}?
          </h2>
          <p className="text-slate-700">
            Compare this SHA-256 fingerprint with the certificate installed on the domain controller. Accept only if
            they match: a certificate you did not renew may mean the connection is intercepted.
          </p>
          <Fingerprint value={sha256} />
          {accept.error && (
            <p role="alert" className="break-words text-red-700">
              {accept.error.message}
            </p>
          )}
          <div className="flex flex-wrap justify-end gap-3">
            <button
              ref={cancelRef}
              type="button"
              onClick={() => dialogRef.current?.close()}
              className="rounded-md px-4 py-2 font-medium text-slate-700 hover:bg-slate-100"
            >
              Cancel
            </button>
            <button
              type="button"
              disabled={accept.isPending}
              onClick={() => accept.mutate({ siteId, hostname: dc.hostname, fingerprint: sha256 })}
              className="rounded-md bg-[var(--brand)] px-4 py-2 font-medium text-[var(--brand-contrast)] disabled:opacity-60"
            >
              {accept.isPending ? "Accepting…" : "Accept"}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
