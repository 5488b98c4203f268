"use client";

import { ConfirmButton } from "../confirm-button";
import { SortHeader } from "../sort-header";

export type Sort = "name" | "email" | "role" | "createdAt";
export type Role = "partner_admin" | "partner_technician";
export type User = {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: "active" | "invited";
  createdAt: string;
  inviteExpiresAt: string | null;
};

/** What a row may do; the controls exist only for admins, and never on the admin's own row (but a reset link). */
export type RowControls = {
  isAdmin: boolean;
  currentUserId: string;
  busy: boolean;
  changeRole: (userId: string, role: Role) => void;
  reissue: (userId: string) => void;
  resetPassword: (userId: string) => void;
  remove: (userId: string) => void;
};

const ROLE_LABEL: Record<Role, string> = { partner_admin: "Partner admin", partner_technician: "Technician" };

function StatusBadge({ user }: { user: User }) {
  const [label, tone] =
    user.status === "active"
      ? ["active", "bg-emerald-100 text-emerald-800"]
      : user.inviteExpiresAt
        ? ["invited", "bg-sky-100 text-sky-800"]
        : ["invite expired", "bg-amber-100 text-amber-800"];
  return (
    <span data-testid="user-status" className={`rounded-full px-2 py-0.5 text-xs font-medium ${tone}`}>
      {label}
    </span>
  );
}

function RoleControl({ user, c }: { user: User; c: RowControls }) {
  if (!c.isAdmin || user.id === c.currentUserId) return <span data-testid="user-role">{ROLE_LABEL[user.role]}</span>;
  return (
    <select
      aria-label={`Role of ${user.name}`}
      value={user.role}
      disabled={c.busy}
      onChange={(e) => c.changeRole(user.id, e.target.value as Role)}
      className="rounded-md border border-slate-300 px-2 py-1"
    >
      <option value="partner_technician">{ROLE_LABEL.partner_technician}</option>
      <option value="partner_admin">{ROLE_LABEL.partner_admin}</option>
    </select>
  );
}

function RowActions({ user, c }: { user: User; c: RowControls }) {
  return (
    <div className="flex flex-wrap justify-end gap-2 sm:flex-nowrap">
      {user.status === "active" && user.id !== c.currentUserId ? (
        // A forgotten password: a one-time link, and the user is signed out everywhere at once.
        <button
          type="button"
          disabled={c.busy}
          aria-label={`Reset password of ${user.name}`}
          onClick={() => {
            if (
              window.confirm(
                `Reset the password of ${user.name} (${user.email})? They are signed out at once and set a new password with a one-time link you give them.`,
              )
            )
              c.resetPassword(user.id);
          }}
          className="whitespace-nowrap rounded-md border border-slate-300 px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        >
          Reset password
        </button>
      ) : (
        <button
          type="button"
          disabled={c.busy}
          onClick={() => c.reissue(user.id)}
          aria-label={`${user.status === "active" ? "New password link" : "New invite link"} for ${user.name}`}
          className="whitespace-nowrap rounded-md border border-slate-300 px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        >
          {user.status === "active" ? "New password link" : "New invite link"}
        </button>
      )}
      {user.id !== c.currentUserId && (
        <ConfirmButton
          label="Remove"
          ariaLabel={`Remove ${user.name}`}
          question={`Remove ${user.name} (${user.email})? They are signed out at once and can no longer sign in. Their audit history stays.`}
          onConfirm={() => c.remove(user.id)}
        />
      )}
    </div>
  );
}

function Name({ user, c }: { user: User; c: RowControls }) {
  return (
    <>
      {user.name}
      {user.id === c.currentUserId && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
    </>
  );
}

/** From the sm breakpoint up: a table with sortable column headers. */
export function UsersTable(props: {
  users: User[];
  c: RowControls;
  sort: Sort;
  order: "asc" | "desc";
  onSort: (field: Sort) => void;
}) {
  const { users, c } = props;
  const header = (field: Sort, label: string) => (
    <SortHeader field={field} label={label} sort={props.sort} order={props.order} onSort={props.onSort} />
  );
  return (
    // relative: the header's sr-only text (absolutely positioned) scrolls with the table, not the page.
    <div className="relative hidden overflow-x-auto sm:block">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <thead className="text-slate-500">
          <tr>
            {header("name", "Name")}
            {header("email", "Email")}
            {header("role", "Role")}
            <th className="px-5 py-2 font-medium">Status</th>
            {header("createdAt", "Added")}
            {c.isAdmin && (
              <th className="px-5 py-2">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid="user-row" data-email={u.email} className="border-t border-slate-100">
              <td className="px-5 py-3 font-medium">
                <Name user={u} c={c} />
              </td>
              <td className="px-5 py-3 text-slate-700">{u.email}</td>
              <td className="px-5 py-3">
                <RoleControl user={u} c={c} />
              </td>
              <td className="px-5 py-3">
                <StatusBadge user={u} />
              </td>
              <td className="px-5 py-3 text-slate-600">{new Date(u.createdAt).toLocaleDateString()}</td>
              {c.isAdmin && (
                <td className="px-5 py-3">
                  <RowActions user={u} c={c} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** On a phone: one card per user, every control on screen (no sideways scrolling). */
export function UserCards({
  users,
  c,
  sort,
  order,
  onSort,
}: {
  users: User[];
  c: RowControls;
  sort: Sort;
  order: "asc" | "desc";
  onSort: (field: Sort, order: "asc" | "desc") => void;
}) {
  return (
    <div className="sm:hidden">
      <label className="flex items-center gap-2 border-b border-slate-100 px-5 py-2 text-sm">
        <span className="text-slate-600">Sort by</span>
        <select
          value={`${sort}:${order}`}
          onChange={(e) => {
            const [field, dir] = e.target.value.split(":") as [Sort, "asc" | "desc"];
            onSort(field, dir);
          }}
          className="rounded-md border border-slate-300 px-2 py-1"
        >
          <option value="name:asc">Name A–Z</option>
          <option value="name:desc">Name Z–A</option>
          <option value="email:asc">Email A–Z</option>
          <option value="role:asc">Admins first</option>
          <option value="role:desc">Technicians first</option>
          <option value="createdAt:desc">Newest first</option>
          <option value="createdAt:asc">Oldest first</option>
        </select>
      </label>
      <ul>
        {users.map((u) => (
          <li
            key={u.id}
            data-testid="user-card"
            className="space-y-2 border-t border-slate-100 px-5 py-4 first:border-t-0"
          >
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="font-medium">
                  <Name user={u} c={c} />
                </p>
                <p className="break-all text-sm text-slate-600">{u.email}</p>
              </div>
              <StatusBadge user={u} />
            </div>
            <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <RoleControl user={u} c={c} />
              {c.isAdmin && <RowActions user={u} c={c} />}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
