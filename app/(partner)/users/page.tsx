import { requirePartnerUser } from "@/app/lib/server-session";
import { Users } from "./users";

export const metadata = { title: "Users · OsirisCare Central Command" };

/** Every partner user sees the team; only partner admins get the controls (the server refuses anyone else). */
export default async function UsersPage() {
  const user = await requirePartnerUser();
  const isAdmin = user.role === "partner_admin";
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="text-sm text-slate-500">
          Everyone who signs in to your console. <strong>Partner admins</strong> do everything, including managing
          users, credentials and API tokens; <strong>technicians</strong> see every site and run day-to-day work.
          {isAdmin
            ? " Invite someone to get a one-time link that lets them set their password; it works for 7 days."
            : " Only a partner admin can invite, change or remove users."}
        </p>
      </div>
      <Users currentUserId={user.id} isAdmin={isAdmin} />
    </div>
  );
}
