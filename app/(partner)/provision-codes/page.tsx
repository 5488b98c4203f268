import { requirePartnerUser } from "@/app/lib/server-session";
import { ProvisionCodes } from "./provision-codes";

export const metadata = { title: "Provision codes · OsirisCare Central Command" };

export default async function ProvisionCodesPage() {
  await requirePartnerUser();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Provision codes</h1>
        <p className="text-sm text-slate-500">
          A code enrols one appliance, once. Print it, ship it with the box; the clinic plugs the box in and it
          provisions itself. Codes expire, and you can revoke an unused one at any time.
        </p>
      </div>
      <ProvisionCodes />
    </div>
  );
}
