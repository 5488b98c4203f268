import { ApplianceList } from "./appliance-list";

export const metadata = { title: "Appliances · OsirisCare Central Command" };

export default function AppliancesPage() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Appliances</h1>
        <p className="text-sm text-slate-600">Every appliance across your sites: find one by hostname, clinic or id.</p>
      </div>
      <ApplianceList />
    </div>
  );
}
