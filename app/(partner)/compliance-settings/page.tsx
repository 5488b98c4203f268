import { requirePartnerUser } from "@/app/lib/server-session";
import { ComplianceThresholdsForm } from "./compliance-thresholds-form";

export const metadata = { title: "Compliance settings · OsirisCare Central Command" };

/** What "compliant" means for every client of this partner. Everyone reads it; partner admins change it. */
export default async function ComplianceSettingsPage() {
  const user = await requirePartnerUser();
  const isAdmin = user.role === "partner_admin";
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Compliance settings</h1>
        <p className="text-sm text-slate-600">
          The thresholds every appliance of yours judges Windows servers by. A change reaches each appliance at its next
          check-in (within a minute) and applies from its next scan.
          {isAdmin ? "" : " Only a partner admin can change them."}
        </p>
      </div>
      <ComplianceThresholdsForm canEdit={isAdmin} />
    </div>
  );
}
