"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";

const PAGE = 25;

const LABEL: Record<string, string> = {
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Failed sign-in",
  "user.signed_out": "Signed out",
};

const REASON: Record<string, string> = {
  wrong_password: "wrong password",
  account_locked: "refused: account locked after repeated failures",
};

/** The partner's sign-in events, a page at a time (the server pages by cursor). */
export function SignInActivity() {
  const trpc = useTRPC();
  // Cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors.at(-1) ?? null;
  const page = useQuery({
    ...trpc.activity.signIns.queryOptions({ cursor, limit: PAGE }),
    placeholderData: keepPreviousData,
  });
  const events = page.data?.events ?? [];
  const queryClient = useQueryClient();
  const unlock = useMutation(
    trpc.activity.unlock.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.activity.pathKey() }),
    }),
  );
  const unlocked = new Set(unlock.isSuccess ? [unlock.variables.userId] : []);
  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
      {page.isLoading ? (
        <p className="px-5 py-6 text-sm text-slate-500">Loading…</p>
      ) : page.isError ? (
        <p className="px-5 py-6 text-sm text-red-700">{page.error.message}</p>
      ) : events.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-slate-500">No sign-in activity yet.</p>
      ) : (
        <ul>
          {events.map((e) => (
            <li
              key={e.id}
              data-testid="sign-in-event"
              className="flex flex-wrap items-baseline gap-x-3 gap-y-1 border-t border-slate-100 px-5 py-3 text-sm first:border-t-0"
            >
              <span className={`font-medium ${e.action === "user.sign_in_failed" ? "text-red-700" : "text-slate-900"}`}>
                {LABEL[e.action] ?? e.action}
              </span>
              <span className="min-w-0 break-all text-slate-700">{e.email ?? "unknown account"}</span>
              {e.reason && <span className="text-slate-500">({REASON[e.reason] ?? e.reason})</span>}
              {e.reason === "account_locked" && e.userId && (
                <button
                  type="button"
                  disabled={unlock.isPending || unlocked.has(e.userId)}
                  onClick={() => e.userId && unlock.mutate({ userId: e.userId })}
                  className="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50"
                >
                  {unlocked.has(e.userId) ? "Unlocked" : "Unlock"}
                </button>
              )}
              <span className="font-mono text-xs text-slate-500">{e.ip ?? "no IP"}</span>
              <time className="ml-auto shrink-0 text-xs text-slate-500" dateTime={e.createdAt}>
                {ago(e.createdAt)}
              </time>
            </li>
          ))}
        </ul>
      )}
      <div className="flex justify-between border-t border-slate-200 px-5 py-3 text-sm">
        <button
          type="button"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
          className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-40"
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, page.data?.nextCursor ?? null])}
          className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-40"
        >
          Older
        </button>
      </div>
    </section>
  );
}
