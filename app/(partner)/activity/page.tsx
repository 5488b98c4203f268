import { requirePartnerUser } from "@/app/lib/server-session";
import { SignInActivity } from "./sign-in-activity";

export const metadata = { title: "Sign-in activity · OsirisCare Central Command" };

export default async function ActivityPage() {
  const user = await requirePartnerUser();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Sign-in activity</h1>
        <p className="text-sm text-slate-500">
          Sign-ins, failed sign-ins and sign-outs of your team&apos;s accounts, newest first.
        </p>
      </div>
      {user.role === "partner_admin" ? (
        <SignInActivity />
      ) : (
        <p className="rounded-md bg-amber-50 p-4 text-sm text-amber-800" data-testid="activity-forbidden">
          Only a partner admin can see sign-in activity.
        </p>
      )}
    </div>
  );
}
