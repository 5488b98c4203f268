"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import { ago } from "@/app/lib/time";
import { useTRPC } from "@/app/providers";
import { ListBody } from "../list-body";
import { FIELD, LABEL, SearchField, SiteFilter, useDebouncedSearch } from "../list-search";
import { Pager } from "../pager";
import { useSearchState } from "../use-search-state";

const PAGE_SIZE = 25;
/** The alert types the product raises (the wire's type: the kind with dots as underscores). */
const TYPES = [
  ["appliance_offline", "Appliance offline"],
  ["appliance_online", "Appliance back online"],
  ["trigger_failed", "Request not completed"],
  ["appliance_targets_unusable", "Credential unusable"],
  ["domain_discovered", "Domain discovered"],
  ["domain_discovery_failed", "No domain found"],
  ["enumeration_complete", "Enumeration complete"],
  ["enumeration_failed", "Enumeration failed"],
  ["new_servers_found", "New servers found"],
  ["dc_certificate_changed", "DC certificate changed"],
  ["compliance_failing", "Compliance failing"],
] as const;
const TYPE_LABEL: Record<string, string> = Object.fromEntries(TYPES);
const TYPE_VALUES = ["all", ...TYPES.map(([t]) => t)] as const;
const READ = ["all", "unread", "read"] as const;
const ORDERS = ["desc", "asc"] as const;
const DEFAULTS = { type: "all", read: "all", order: "desc", page: 1 };
const RED = new Set(["appliance_offline", "enumeration_failed", "dc_certificate_changed", "compliance_failing"]);

/**
 * Every alert of the partner. Search (q), type, site, read state, order and page live in the URL
 * (`/alerts?read=unread` is what the dashboard links to); the server filters, sorts and pages
 * (notifications.page). Alerts are marked read one by one (a button named by its row), the selected ones,
 * or every one matching the filters.
 */
export function AlertList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const url = useSearchState();
  const q = url.readText("q").trim();
  const type = url.read("type", TYPE_VALUES, "all");
  const site = url.readText("site");
  const read = url.read("read", READ, "all");
  const order = url.read("order", ORDERS, "desc");
  const page = url.readPage("page");
  const writeSearch = useCallback((text: string) => url.write({ q: text, page: null }, DEFAULTS), [url]);
  const [search, typeSearch] = useDebouncedSearch(q, writeSearch);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const filters = {
    q: q || undefined,
    type: type === "all" ? undefined : type,
    site: site || undefined,
    read: read === "all" ? undefined : read,
  };
  const list = useQuery({
    ...trpc.notifications.page.queryOptions({ ...filters, order, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => {
        setSelected(new Set());
        return queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
      },
    }),
  );
  const set = (key: string, value: string) => {
    setSelected(new Set());
    url.write({ [key]: value, page: null }, DEFAULTS);
  };
  const filtered = Boolean(filters.q || filters.type || filters.site || filters.read);
  const data = list.data;
  const rows = data?.notifications ?? [];
  const unreadOnPage = rows.filter((n) => !n.read);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const allSelected = unreadOnPage.length > 0 && unreadOnPage.every((n) => selected.has(n.id));
  const countRef = useRef<HTMLSpanElement>(null);
  /**
   * Working through alerts one by one: once a row is marked read, the focus moves to the next unread row's
   * Mark read (or the one before it, at the end of the page), else to the count, never lost on <body>.
   */
  const markOneRead = (id: string) => {
    const at = rows.findIndex((n) => n.id === id);
    const after = [...rows.slice(at + 1), ...rows.slice(0, Math.max(at, 0)).reverse()]
      .filter((n) => !n.read)
      .map((n) => n.id);
    markRead.mutate(
      { ids: [id] },
      {
        // The refetched list renders (and the buttons are enabled again) within a frame or two.
        onSuccess: () => {
          let frames = 0;
          const focusNext = () => {
            const next = after
              .map((other) =>
                document.querySelector<HTMLButtonElement>(`button[data-mark-read="${CSS.escape(other)}"]`),
              )
              .find((b) => b !== null);
            const target = next ?? countRef.current;
            target?.focus();
            if (document.activeElement !== target && ++frames < 30) requestAnimationFrame(focusNext);
          };
          requestAnimationFrame(focusNext);
        },
      },
    );
  };

  return (
    <section aria-label="Alerts" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <search className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 py-3">
        <SearchField value={search} onType={typeSearch} placeholder="Message, hostname, clinic…" />
        <label className={`${LABEL} flex-[1_1_9rem]`}>
          Type
          <select value={type} onChange={(e) => set("type", e.target.value)} className={FIELD}>
            <option value="all">Any type</option>
            {TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <SiteFilter value={site} onChange={(v) => set("site", v)} width="flex-[1_1_9rem]" />
        <label className={`${LABEL} flex-[1_1_7rem]`}>
          State
          <select value={read} onChange={(e) => set("read", e.target.value)} className={FIELD}>
            <option value="all">Read and unread</option>
            <option value="unread">Unread</option>
            <option value="read">Read</option>
          </select>
        </label>
        <label className={`${LABEL} flex-[1_1_7rem]`}>
          Sort
          <select value={order} onChange={(e) => set("order", e.target.value)} className={FIELD}>
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
      </search>
      {data && data.total > 0 && (
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-5 py-2 text-sm">
          <label className="inline-flex items-center gap-2 text-xs text-slate-700">
            <input
              type="checkbox"
              checked={allSelected}
              disabled={unreadOnPage.length === 0}
              onChange={() => setSelected(allSelected ? new Set() : new Set(unreadOnPage.map((n) => n.id)))}
            />
            Select unread on this page
          </label>
          <button
            type="button"
            disabled={selected.size === 0 || markRead.isPending}
            onClick={() => markRead.mutate({ ids: [...selected] })}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
          >
            Mark selected read{selected.size > 0 ? ` (${selected.size})` : ""}
          </button>
          <button
            type="button"
            disabled={markRead.isPending || data.unread === 0}
            onClick={() => markRead.mutate({ allMatching: filters })}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50"
          >
            {filtered ? "Mark all matching read" : "Mark all read"}
          </button>
          <span
            ref={countRef}
            tabIndex={-1}
            className="ml-auto text-xs text-slate-600"
            data-testid="alerts-count"
            aria-live="polite"
          >
            {data.total} {filtered ? "matching" : "in all"} · {data.unread} unread
          </span>
          {markRead.isError && (
            <p role="alert" className="w-full text-xs text-red-700">
              Could not mark read: {markRead.error.message}
            </p>
          )}
        </div>
      )}
      <ListBody
        query={list}
        what="alerts"
        skeletonRows={5}
        count={(d) => ({ rows: d.notifications.length, total: d.total, page: d.page })}
        filtered={filtered}
        testId="alerts-empty"
        empty="No alerts yet. Appliances going offline, failed enumerations and the like appear here."
        noMatch="No alert matches these filters."
        clearFilters="/alerts"
        offPage="No alerts on this page."
        onFirstPage={() => url.write({ page: null })}
      >
        {(data) => (
          <>
            <ul>
              {rows.map((n) => {
                const where = [n.hostname, n.siteName].filter(Boolean).join(" at ");
                const name = `${n.message}${where ? ` (${where})` : ""}, ${ago(n.createdAt)}`;
                return (
                  <li
                    key={n.id}
                    data-testid="alert-row"
                    data-read={n.read ? "true" : "false"}
                    className={`flex gap-3 border-t border-slate-100 px-5 py-3 text-sm first:border-t-0 ${n.read ? "" : "bg-sky-50/60"}`}
                  >
                    <input
                      type="checkbox"
                      className="mt-1 shrink-0"
                      aria-label={`Select: ${name}`}
                      checked={selected.has(n.id)}
                      disabled={n.read}
                      onChange={() => toggle(n.id)}
                    />
                    <div className="min-w-0 flex-1">
                      <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
                        <span
                          className={`rounded px-1.5 py-0.5 text-xs font-medium ${RED.has(n.type) ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}
                        >
                          {TYPE_LABEL[n.type] ?? n.type}
                        </span>
                        <span
                          className={`min-w-0 break-words ${n.read ? "text-slate-700" : "font-medium text-slate-900"}`}
                        >
                          {n.actionUrl ? (
                            <Link href={n.actionUrl} className="hover:underline">
                              {n.message}
                            </Link>
                          ) : (
                            n.message
                          )}
                        </span>
                        {!n.read && <span className="text-xs font-medium text-sky-800">Unread</span>}
                      </p>
                      <p className="mt-1 break-words text-xs text-slate-600">{n.detail}</p>
                      <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-600">
                        {n.siteName && <span data-testid="alert-site">{n.siteName}</span>}
                        {n.hostname && (
                          <span data-testid="alert-host" className="break-all">
                            {n.hostname}
                          </span>
                        )}
                        <time dateTime={n.createdAt} title={new Date(n.createdAt).toUTCString()}>
                          {ago(n.createdAt)}
                        </time>
                      </p>
                    </div>
                    {!n.read && (
                      <button
                        type="button"
                        aria-label={`Mark read: ${name}`}
                        data-mark-read={n.id}
                        disabled={markRead.isPending}
                        onClick={() => markOneRead(n.id)}
                        className="h-fit shrink-0 rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-50"
                      >
                        Mark read
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
            <Pager
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              label="Alerts"
              onPage={(p) => {
                setSelected(new Set());
                url.write({ page: p }, DEFAULTS);
              }}
              busy={list.isFetching}
            />
          </>
        )}
      </ListBody>
    </section>
  );
}
