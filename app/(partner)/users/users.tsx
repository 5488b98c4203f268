"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/providers";
import { QueryError, Skeleton } from "../query-state";
import { useReturnFocus } from "../use-focus";
import { InviteForm } from "./invite-form";
import { type IssuedLink, IssuedLinkPanel } from "./issued-link";
import { type RowControls, type Sort, UserCards, UsersTable } from "./user-list-views";

const PAGE_SIZE = 20;

/** The search box's text, settled: the list is asked again once typing pauses, not on every key. */
function useSettled(value: string, ms = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
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
  // Done puts the focus back on the invite form.
  const inviteArea = useReturnFocus<HTMLDivElement>(issued === null);

  // A new search starts from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the settled search is the trigger
  useEffect(() => setPage(1), [settled]);

  const input = { search: settled || undefined, sort, order, page, pageSize: PAGE_SIZE };
  const list = useQuery({ ...trpc.users.list.queryOptions(input), placeholderData: keepPreviousData });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  // The last row action's refusal (e.g. 409 "…at least one partner admin…"), cleared by the next action.
  const [actionError, setActionError] = useState<string | null>(null);
  const rowAction = {
    onMutate: () => setActionError(null),
    onError: (e: { message: string }) => setActionError(e.message),
  };
  const changeRole = useMutation(trpc.users.changeRole.mutationOptions({ ...rowAction, onSuccess: invalidate }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ ...rowAction, onSuccess: invalidate }));
  const resetPassword = useMutation(
    trpc.users.resetPassword.mutationOptions({
      ...rowAction,
      onSuccess: (r) => {
        setIssued({
          title: `Password reset link for ${r.user.name} (${r.user.email}); they were signed out`,
          inviteUrl: r.inviteUrl,
          expiresAt: r.expiresAt,
        });
        void invalidate();
      },
    }),
  );
  const reissue = useMutation(
    trpc.users.reissueInvite.mutationOptions({
      ...rowAction,
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

  function sortBy(field: Sort, dir: "asc" | "desc") {
    setSort(field);
    setOrder(dir);
    setPage(1);
  }
  /** A column header: the same column again flips the order; a new one starts ascending (dates: newest first). */
  const onHeader = (field: Sort) =>
    sortBy(field, field === sort ? (order === "asc" ? "desc" : "asc") : field === "createdAt" ? "desc" : "asc");
  const controls: RowControls = {
    isAdmin,
    currentUserId,
    busy: changeRole.isPending || remove.isPending || reissue.isPending || resetPassword.isPending,
    changeRole: (userId, role) => changeRole.mutate({ userId, role }),
    reissue: (userId) => reissue.mutate({ userId }),
    resetPassword: (userId) => resetPassword.mutate({ userId }),
    remove: (userId) => remove.mutate({ userId }),
  };

  const data = list.data;
  // Past the last page (the last user on it was removed, or the team shrank): step back to the last one.
  useEffect(() => {
    if (data && data.users.length === 0 && data.total > 0 && page > 1) setPage(Math.ceil(data.total / PAGE_SIZE));
  }, [data, page]);
  const lastPage = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const first = data && data.total > 0 ? (data.page - 1) * PAGE_SIZE + 1 : 0;

  return (
    <div className="space-y-8">
      <div ref={inviteArea}>
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
      </div>

      <section
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
        aria-labelledby="team-heading"
        aria-busy={list.isFetching}
      >
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
            {actionError}
          </p>
        )}

        {list.isPending ? (
          <div data-testid="users-loading">
            <Skeleton rows={4} label="Loading users" />
          </div>
        ) : list.isError ? (
          <div data-testid="users-error">
            <QueryError what="users" error={list.error} onRetry={() => list.refetch()} updatedAt={list.dataUpdatedAt} />
          </div>
        ) : data && data.users.length === 0 ? (
          <p data-testid="users-empty" className="px-5 py-8 text-center text-sm text-slate-500">
            {settled ? `No user matches "${settled}".` : "No users yet."}
          </p>
        ) : (
          data && (
            <>
              <UsersTable users={data.users} c={controls} sort={sort} order={order} onSort={onHeader} />
              <UserCards users={data.users} c={controls} sort={sort} order={order} onSort={sortBy} />
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
