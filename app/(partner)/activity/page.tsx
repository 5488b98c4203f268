import { requirePartnerUser } from "@/app/lib/server-session";
import { ActivityLog } from "./activity-log";

export const metadata = { title: "Activity · OsirisCare Central Command" };

export default async function ActivityPage() {
  const user = await requirePartnerUser();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Activity</h1>
        <p className="text-sm text-slate-600">
          Who did what in the console and over the API: credentials, provision codes, API tokens, appliances, users,
          sign-ins and failed sign-ins. Never a secret.
        </p>
      </div>
      {user.role === "partner_admin" ? (
        <ActivityLog />
      ) : (
        <p className="rounded-md bg-amber-50 p-4 text-sm text-amber-800" data-testid="activity-forbidden">
          Only a partner admin can see the activity log.
        </p>
      )}
    </div>
  );
}
