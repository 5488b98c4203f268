import { partnerCaller } from "@/app/lib/server-session";
import { ago } from "@/app/lib/time";
import { NotificationList } from "../notifications";
import { AdCoverageCard } from "./ad-coverage-card";
import { ComplianceCard } from "./compliance-card";

export const metadata = { title: "Dashboard · OsirisCare Central Command" };

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-2 text-3xl font-semibold" data-testid={testId}>
        {value}
      </p>
    </div>
  );
}

const STATUS_STYLE: Record<string, string> = {
  online: "bg-emerald-100 text-emerald-800",
  offline: "bg-red-100 text-red-800",
  provisioning: "bg-amber-100 text-amber-800",
  error: "bg-red-100 text-red-800",
};

export default async function DashboardPage() {
  const summary = await (await partnerCaller()).partner.dashboard();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <p className="text-sm text-slate-500">Your clinics and their compliance appliances.</p>
      </div>
      <section className="grid grid-cols-2 gap-4 md:grid-cols-5">
        <Stat label="Sites" value={summary.sites} testId="stat-sites" />
        <Stat label="Appliances online" value={summary.appliances.online} testId="stat-online" />
        <Stat label="Offline" value={summary.appliances.offline} testId="stat-offline" />
        <Stat label="Provisioning" value={summary.appliances.provisioning} testId="stat-provisioning" />
        <Stat label="Unused provision codes" value={summary.pendingCodes} testId="stat-codes" />
      </section>
      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 className="border-b border-slate-200 px-5 py-3 font-medium">Appliances</h2>
        {summary.recentAppliances.length === 0 ? (
          <p className="px-5 py-8 text-center text-sm text-slate-500">
            No appliances yet. Create a{" "}
            <a href="/provision-codes" className="text-[var(--brand-text)] underline">
              provision code
            </a>
            , ship the appliance to a clinic, and it appears here when it provisions.
          </p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways on a phone must take the keyboard focus (axe scrollable-region-focusable)
          <section className="overflow-x-auto" tabIndex={0} aria-label="Appliances table">
            <table className="w-full text-left text-sm">
              <thead className="text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Appliance</th>
                  <th className="px-5 py-2 font-medium">Site</th>
                  <th className="px-5 py-2 font-medium">Status</th>
                  <th className="px-5 py-2 font-medium">Last check-in</th>
                </tr>
              </thead>
              <tbody>
                {summary.recentAppliances.map((a) => (
                  <tr key={a.id} className="border-t border-slate-100">
                    <td className="px-5 py-2 font-mono text-xs">{a.hostname}</td>
                    <td className="px-5 py-2">
                      <a href={`/sites/${a.site.id}`} className="text-[var(--brand-text)] hover:underline">
                        {a.site.clientName}
                      </a>
                    </td>
                    <td className="px-5 py-2">
                      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[a.status] ?? ""}`}>
                        {a.status}
                      </span>
                    </td>
                    <td className="px-5 py-2 text-slate-500">{ago(a.lastCheckinAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
      <AdCoverageCard />
      <ComplianceCard />
      <NotificationList />
    </div>
  );
}
