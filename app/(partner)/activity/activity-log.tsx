"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import { ListBody } from "../list-body";
import { FIELD, LABEL, SearchField, useDebouncedSearch } from "../list-search";
import { useSearchState } from "../use-search-state";

const PAGE_SIZE = 50;

/** The server's action groups (server/contracts/activity.ts), "all" meaning no filter. */
const GROUPS = [
  ["all", "All actions"],
  ["credentials", "Credentials"],
  ["provision_codes", "Provision codes"],
  ["api_tokens", "API tokens"],
  ["appliances", "Appliances"],
  ["users", "Users"],
  ["sign_ins", "Sign-ins"],
  ["settings", "Settings"],
  ["directory", "Active Directory"],
] as const;
type Group = (typeof GROUPS)[number][0];
const ORDERS = ["desc", "asc"] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const ACTOR_KIND: Record<string, string> = {
  partner_token: "API token",
  appliance: "appliance",
};

/**
 * The partner's activity log. Filters, sort and page live in the URL (group, actor, from, to, q, order,
 * page), so a filtered view can be shared; the server filters, sorts and pages (activity.list), and the CSV
 * download asks the REST export for the same filters.
 */
export function ActivityLog() {
  const trpc = useTRPC();
  const url = useSearchState();
  const q = url.readText("q").trim();
  const group = url.read<Group>(
    "group",
    GROUPS.map(([v]) => v),
    "all",
  );
  const actor = url.readText("actor");
  const from = DATE.test(url.readText("from")) ? url.readText("from") : "";
  const to = DATE.test(url.readText("to")) ? url.readText("to") : "";
  const order = url.read("order", ORDERS, "desc");
  const page = url.readPage("page");

  const writeSearch = useCallback((text: string) => url.write({ q: text, page: null }), [url.write]);
  const [search, typeSearch] = useDebouncedSearch(q, writeSearch);

  const filters = {
    q: q || undefined,
    group: group === "all" ? undefined : group,
    actor: actor || undefined,
    from: from || undefined,
    to: to || undefined,
  };
  const list = useQuery({
    ...trpc.activity.list.queryOptions({ ...filters, order, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const users = useQuery(trpc.users.list.queryOptions({ pageSize: 100 }));
  const queryClient = useQueryClient();
  const unlock = useMutation(
    trpc.activity.unlock.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.activity.pathKey() }),
    }),
  );
  const unlocked = new Set(unlock.isSuccess ? [unlock.variables.userId] : []);

  const csvQuery = new URLSearchParams(
    Object.entries({ ...filters, order }).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  const filtered = Boolean(filters.q || filters.group || filters.actor || filters.from || filters.to);
  const set = (key: string, value: string) => url.write({ [key]: value, page: null }, { group: "all", order: "desc" });

  return (
    <section aria-label="Activity log" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <search className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 py-3">
        <SearchField value={search} onType={typeSearch} placeholder="Name, email, IP, clinic…" maxLength={100} />
        <label className={`${LABEL} flex-[1_1_9rem]`}>
          Action
          <select value={group} onChange={(e) => set("group", e.target.value)} className={FIELD}>
            {GROUPS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className={`${LABEL} flex-[1_1_9rem]`}>
          Who
          <select value={actor} onChange={(e) => set("actor", e.target.value)} className={FIELD}>
            <option value="">Anyone</option>
            {users.data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label className={`${LABEL} flex-[1_1_8rem]`}>
          From
          <input type="date" value={from} onChange={(e) => set("from", e.target.value)} className={FIELD} />
        </label>
        <label className={`${LABEL} flex-[1_1_8rem]`}>
          To
          <input type="date" value={to} onChange={(e) => set("to", e.target.value)} className={FIELD} />
        </label>
        <label className={`${LABEL} flex-[1_1_8rem]`}>
          Sort
          <select value={order} onChange={(e) => set("order", e.target.value)} className={FIELD}>
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
        <a
          href={`/api/partners/me/activity.csv${csvQuery ? `?${csvQuery}` : ""}`}
          download
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
        >
          Download CSV
        </a>
      </search>
      <ListBody
        query={list}
        what="the activity log"
        skeletonRows={5}
        count={(d) => ({ rows: d.entries.length, page })}
        filtered={filtered}
        testId="activity-empty"
        empty="No activity yet."
        noMatch="No activity matches these filters."
        clearFilters="/activity"
        offPage="No activity on this page."
        onFirstPage={() => url.write({ page: null })}
      >
        {(d) => (
          <ul>
            {d.entries.map((e) => (
              <li
                key={e.id}
                data-testid="activity-entry"
                className="flex flex-wrap items-baseline gap-x-3 gap-y-1 border-t border-slate-100 px-5 py-3 text-sm first:border-t-0"
              >
                <span
                  className={`min-w-0 break-words font-medium ${e.action === "user.sign_in_failed" ? "text-red-700" : "text-slate-900"}`}
                >
                  {e.summary}
                </span>
                {e.reason === "account_locked" && e.actorId && (
                  <button
                    type="button"
                    disabled={unlock.isPending || unlocked.has(e.actorId)}
                    onClick={() => e.actorId && unlock.mutate({ userId: e.actorId })}
                    className="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50"
                  >
                    {unlocked.has(e.actorId) ? "Unlocked" : "Unlock"}
                  </button>
                )}
                <span className="flex w-full min-w-0 flex-wrap items-baseline gap-x-3 text-xs text-slate-600 sm:ml-auto sm:w-auto sm:justify-end">
                  <span data-testid="activity-actor" className="min-w-0 break-all">
                    {e.actorName ?? (e.actorType === "anonymous" ? "Unknown caller" : "—")}
                    {e.actorType in ACTOR_KIND ? ` (${ACTOR_KIND[e.actorType]})` : ""}
                    {e.actorDetail && e.actorDetail !== e.actorName ? ` · ${e.actorDetail}` : ""}
                  </span>
                  <span className="font-mono">{e.ip ?? "no IP"}</span>
                  <time dateTime={e.at} title={new Date(e.at).toUTCString()}>
                    {ago(e.at)}
                  </time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </ListBody>
      <nav
        aria-label="Activity pages"
        className="flex items-center justify-between border-t border-slate-200 px-5 py-3 text-sm"
      >
        <button
          type="button"
          disabled={page <= 1}
          onClick={() => url.write({ page: page - 1 }, { page: 1 })}
          className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-40"
        >
          Previous
        </button>
        <span className="text-slate-600">Page {page}</span>
        <button
          type="button"
          disabled={!list.data?.hasMore}
          onClick={() => url.write({ page: page + 1 }, { page: 1 })}
          className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-40"
        >
          Next
        </button>
      </nav>
    </section>
  );
}
