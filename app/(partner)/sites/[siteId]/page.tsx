import { notFound } from "next/navigation";
import { requirePartnerUser } from "@/app/lib/server-session";
import { db } from "@/server/db";
import { assertPartnerSite } from "@/server/domain/shared/site-ownership";
import { AppError } from "@/server/errors";
import { SiteDetail } from "./site-detail";

export const metadata = { title: "Site · OsirisCare Central Command" };

export default async function SitePage({ params }: { params: Promise<{ siteId: string }> }) {
  const user = await requirePartnerUser();
  const siteId = decodeURIComponent((await params).siteId);
  // An unknown site (or another partner's) is a 404 page at once, not a spinner that ends in an error.
  try {
    await assertPartnerSite(db(), user.partnerId, siteId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  // The UI hides what a technician cannot do; the tRPC procedures refuse it regardless.
  return <SiteDetail siteId={siteId} canManage={user.role === "partner_admin"} />;
}
