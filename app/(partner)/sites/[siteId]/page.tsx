import { requirePartnerUser } from "@/app/lib/server-session";
import { SiteDetail } from "./site-detail";

export const metadata = { title: "Site · OsirisCare Central Command" };

export default async function SitePage({ params }: { params: Promise<{ siteId: string }> }) {
  await requirePartnerUser();
  const { siteId } = await params;
  return <SiteDetail siteId={decodeURIComponent(siteId)} />;
}
