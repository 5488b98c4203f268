"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/providers";
import { ConfirmButton } from "../confirm-button";
import { InviteForm } from "./invite-form";
import { type IssuedLink, IssuedLinkPanel } from "./issued-link";

const PAGE_SIZE = 20;
type Sort = "name" | "email" | "role" | "created_at";
type Role = "partner_admin" | "partner_technician";
type User = {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: "active" | "invited";
  createdAt: string;
  inviteExpiresAt: string | null;
};

const ROLE_LABEL: Record<Role, string> = { partner_admin: "Partner admin", partner_technician: "Technician" };

function statusText(u: User): { label: string; tone: string } {
  if (u.status === "active") return { label: "active", tone: "bg-emerald-100 text-emerald-800" };
  if (u.inviteExpiresAt) return { label: "invited", tone: "bg-sky-100 text-sky-800" };
  return { label: "invite expired", tone: "bg-amber-100 text-amber-800" };
}

/** The search box's text, settled: the list is asked again once typing pauses, not on every key. */
function useSettled(value: string, ms = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function SortHeader({
  field,
  label,
  sort,
  order,
  onSort,
}: {
  field: Sort;
  label: string;
  sort: Sort;
  order: "asc" | "desc";
  onSort: (field: Sort) => void;
}) {
  const active = sort === field;
  return (
    <th className="px-5 py-2 font-medium" aria-sort={active ? (order === "asc" ? "ascending" : "descending") : "none"}>
      <button
        type="button"
        onClick={() => onSort(field)}
        className="inline-flex items-center gap-1 hover:text-slate-900"
      >
        {label}
        <span aria-hidden="true">{active ? (order === "asc" ? "▲" : "▼") : ""}</span>
      </button>
    </th>
  );
}

export function Users({ currentUserId, isAdmin }: { currentUserId: string; isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const settled = useSettled(search.trim());
  const [sort, setSort] = useState<Sort>("name");
  const [order, setOrder] = useState<"asc" | "desc">("asc");
  const [page, setPage] = useState(1);
  const [issued, setIssued] = useState<IssuedLink | null>(null);

  // A new search starts from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the settled search is the trigger
  useEffect(() => setPage(1), [settled]);

  const input = { search: settled || undefined, sort, order, page, pageSize: PAGE_SIZE };
  const list = useQuery({ ...trpc.users.list.queryOptions(input), placeholderData: keepPreviousData });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const changeRole = useMutation(trpc.users.changeRole.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSuccess: invalidate }));
  const reissue = useMutation(
    trpc.users.reissueInvite.mutationOptions({
      onSuccess: (r) => {
        setIssued({
          title:
            r.user.status === "active"
              ? `Password reset link for ${r.user.name} (${r.user.email})`
              : `New invitation for ${r.user.name} (${r.user.email})`,
          inviteUrl: r.inviteUrl,
          expiresAt: r.expiresAt,
        });
        void invalidate();
      },
    }),
  );
  const actionError = changeRole.error ?? remove.error ?? reissue.error;

  function onSort(field: Sort) {
    if (field === sort) setOrder(order === "asc" ? "desc" : "asc");
    else {
      setSort(field);
      setOrder(field === "created_at" ? "desc" : "asc");
    }
    setPage(1);
  }

  const data = list.data;
  // Past the last page (the last user on it was removed, or the team shrank): step back to the last one.
  useEffect(() => {
    if (data && data.users.length === 0 && data.total > 0 && page > 1) setPage(Math.ceil(data.total / PAGE_SIZE));
  }, [data, page]);
  const lastPage = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const first = data && data.total > 0 ? (data.page - 1) * PAGE_SIZE + 1 : 0;

  return (
    <div className="space-y-8">
      {isAdmin &&
        (issued ? (
          <IssuedLinkPanel link={issued} onDone={() => setIssued(null)} />
        ) : (
          <InviteForm
            onInvited={(link) => {
              setIssued(link);
              void invalidate();
            }}
          />
        ))}

      <section className="rounded-xl border border-slate-200 bg-white shadow-sm" aria-labelledby="team-heading">
        <div className="flex flex-col gap-3 border-b border-slate-200 px-5 py-3 sm:flex-row sm:items-center sm:justify-between">
          <h2 id="team-heading" className="font-medium">
            Team{data ? ` (${data.total})` : ""}
          </h2>
          <label className="flex items-center gap-2 text-sm">
            <span className="text-slate-600">Search</span>
            <input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              maxLength={100}
              placeholder="Name or email"
              className="w-full rounded-md border border-slate-300 px-3 py-1.5 sm:w-64"
            />
          </label>
        </div>

        {actionError && (
          <p role="alert" data-testid="users-action-error" className="px-5 py-3 text-sm text-red-700">
            {actionError.message}
          </p>
        )}

        {list.isPending ? (
          <p data-testid="users-loading" className="px-5 py-8 text-center text-sm text-slate-500">
            Loading users…
          </p>
        ) : list.isError ? (
          <div data-testid="users-error" className="space-y-2 px-5 py-8 text-center text-sm">
            <p className="text-red-700">Could not load users: {list.error.message}</p>
            <button type="button" onClick={() => list.refetch()} className="font-medium underline">
              Try again
            </button>
          </div>
        ) : data && data.users.length === 0 ? (
          <p data-testid="users-empty" className="px-5 py-8 text-center text-sm text-slate-500">
            {settled ? `No user matches "${settled}".` : "No users yet."}
          </p>
        ) : (
          data && (
            <>
              {/* relative: the header's sr-only text (absolutely positioned) scrolls with the table, not the page. */}
              <div className="relative overflow-x-auto">
                <table className="w-full min-w-[44rem] text-left text-sm">
                  <thead className="text-slate-500">
                    <tr>
                      <SortHeader field="name" label="Name" sort={sort} order={order} onSort={onSort} />
                      <SortHeader field="email" label="Email" sort={sort} order={order} onSort={onSort} />
                      <SortHeader field="role" label="Role" sort={sort} order={order} onSort={onSort} />
                      <th className="px-5 py-2 font-medium">Status</th>
                      <SortHeader field="created_at" label="Added" sort={sort} order={order} onSort={onSort} />
                      {isAdmin && (
                        <th className="px-5 py-2">
                          <span className="sr-only">Actions</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {data.users.map((u) => {
                      const self = u.id === currentUserId;
                      const status = statusText(u);
                      return (
                        <tr
                          key={u.id}
                          data-testid="user-row"
                          data-email={u.email}
                          className="border-t border-slate-100"
                        >
                          <td className="px-5 py-3 font-medium">
                            {u.name}
                            {self && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                          </td>
                          <td className="px-5 py-3 text-slate-700">{u.email}</td>
                          <td className="px-5 py-3">
                            {isAdmin && !self ? (
                              <select
                                aria-label={`Role of ${u.name}`}
                                value={u.role}
                                disabled={changeRole.isPending}
                                onChange={(e) => changeRole.mutate({ userId: u.id, role: e.target.value as Role })}
                                className="rounded-md border border-slate-300 px-2 py-1"
                              >
                                <option value="partner_technician">{ROLE_LABEL.partner_technician}</option>
                                <option value="partner_admin">{ROLE_LABEL.partner_admin}</option>
                              </select>
                            ) : (
                              <span data-testid="user-role">{ROLE_LABEL[u.role]}</span>
                            )}
                          </td>
                          <td className="px-5 py-3">
                            <span
                              data-testid="user-status"
                              className={`rounded-full px-2 py-0.5 text-xs font-medium ${status.tone}`}
                            >
                              {status.label}
                            </span>
                          </td>
                          <td className="px-5 py-3 text-slate-600">{new Date(u.createdAt).toLocaleDateString()}</td>
                          {isAdmin && (
                            <td className="px-5 py-3">
                              <div className="flex justify-end gap-2">
                                <button
                                  type="button"
                                  disabled={reissue.isPending}
                                  onClick={() => reissue.mutate({ userId: u.id })}
                                  className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
                                >
                                  {u.status === "active" ? "Reset password" : "New invite link"}
                                </button>
                                {!self && (
                                  <ConfirmButton
                                    label="Remove"
                                    question={`Remove ${u.name} (${u.email})? They are signed out at once and can no longer sign in. Their audit history stays.`}
                                    onConfirm={() => remove.mutate({ userId: u.id })}
                                  />
                                )}
                              </div>
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <nav
                aria-label="Pages"
                className="flex items-center justify-between gap-3 border-t border-slate-200 px-5 py-3 text-sm"
              >
                <span data-testid="users-range" className="text-slate-600">
                  {first}–{first + data.users.length - 1} of {data.total}
                </span>
                <span className="flex gap-2">
                  <button
                    type="button"
                    disabled={page <= 1}
                    onClick={() => setPage(page - 1)}
                    className="rounded-md border border-slate-300 px-3 py-1 disabled:opacity-40"
                  >
                    Previous
                  </button>
                  <button
                    type="button"
                    disabled={page >= lastPage}
                    onClick={() => setPage(page + 1)}
                    className="rounded-md border border-slate-300 px-3 py-1 disabled:opacity-40"
                  >
                    Next
                  </button>
                </span>
              </nav>
            </>
          )
        )}
      </section>
    </div>
  );
}
