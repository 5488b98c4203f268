import Link from "next/link";
import { partnerCaller } from "@/app/lib/server-session";

export const metadata = { title: "Sites · OsirisCare Central Command" };

export default async function SitesPage() {
  const sites = await (await partnerCaller()).sites.list();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Sites</h1>
        <p className="text-sm text-slate-500">Each clinic is a site; its appliances provision into it.</p>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        {sites.length === 0 ? (
          <p className="px-5 py-8 text-center text-sm text-slate-500">
            No sites yet. A site is created when an appliance claims its first{" "}
            <Link href="/provision-codes" className="text-[var(--brand-text)] underline">
              provision code
            </Link>
            .
          </p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways on a phone must take the keyboard focus (axe scrollable-region-focusable)
          <section className="overflow-x-auto" tabIndex={0} aria-label="Sites table">
            <table className="w-full text-left text-sm">
              <thead className="text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Clinic</th>
                  <th className="px-5 py-2 font-medium">Site id</th>
                  <th className="px-5 py-2 font-medium">Appliances online</th>
                </tr>
              </thead>
              <tbody>
                {sites.map((s) => (
                  <tr key={s.id} className="border-t border-slate-100">
                    <td className="px-5 py-3">
                      <Link href={`/sites/${s.id}`} className="font-medium text-[var(--brand-text)] hover:underline">
                        {s.clientName}
                      </Link>
                    </td>
                    <td className="px-5 py-3 font-mono text-xs">{s.id}</td>
                    <td className="px-5 py-3">
                      {s.online} / {s.appliances}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
    </div>
  );
}
