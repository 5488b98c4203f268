import { AlertList } from "./alert-list";

export const metadata = { title: "Alerts · OsirisCare Central Command" };

export default function AlertsPage() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="text-sm text-slate-600">
          Everything the appliances and the console raised: filter, work through them, mark them read.
        </p>
      </div>
      <AlertList />
    </div>
  );
}
