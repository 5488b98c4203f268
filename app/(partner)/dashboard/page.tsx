import { partnerCaller } from "@/app/lib/server-session";
import type { DashboardView } from "@/server/contracts/ui/partner";
import { NotificationList } from "../notifications";
import { AdCoverageCard } from "./ad-coverage-card";
import { ComplianceCard } from "./compliance-card";
import { DashboardLive } from "./dashboard-live";

export const metadata = { title: "Dashboard · OsirisCare Central Command" };

export default async function DashboardPage() {
  const caller = await partnerCaller();
  // The first answer is drawn on the server for a fast first paint; if it fails the page still renders
  // and the client's own query shows the error with a Retry.
  const initial: DashboardView | null = await caller.partner.dashboard().catch(() => null);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <p className="text-sm text-slate-600">Your clinics and their compliance appliances.</p>
      </div>
      <DashboardLive initial={initial} initialAt={Date.now()} />
      <AdCoverageCard />
      <ComplianceCard />
      <NotificationList />
    </div>
  );
}
