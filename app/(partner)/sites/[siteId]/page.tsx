import { requirePartnerUser } from "@/app/lib/server-session";
import { SiteDetail } from "./site-detail";

export const metadata = { title: "Site · OsirisCare Central Command" };

export default async function SitePage({ params }: { params: Promise<{ siteId: string }> }) {
  const user = await requirePartnerUser();
  const { siteId } = await params;
  // The UI hides what a technician cannot do; the tRPC procedures refuse it regardless.
  return <SiteDetail siteId={decodeURIComponent(siteId)} canManage={user.role === "partner_admin"} />;
}
