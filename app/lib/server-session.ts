import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createContextInner } from "@/server/api/trpc";
import { getSessionUser, type SessionUser } from "@/server/auth/session";
import { PATH_HEADER } from "@/server/http/client-ip";

/** One session lookup per request, shared by the layout and the page (they render in parallel). */
const currentUser = cache(async () => getSessionUser(await headers()));

/**
 * The signed-in partner user, or a redirect to sign-in that comes back to this page. Call it in every
 * partner page as well as the layout: Next renders both at once, so the layout alone cannot guard a page.
 */
export async function requirePartnerUser(): Promise<SessionUser & { partnerId: string }> {
  const user = await currentUser();
  if (!user) {
    const back = (await headers()).get(PATH_HEADER) ?? "/dashboard";
    redirect(`/sign-in?next=${encodeURIComponent(back)}`);
  }
  if (!user.partnerId) redirect("/sign-in?error=not-a-partner");
  return { ...user, partnerId: user.partnerId };
}

/** A tRPC caller for a partner page, after the sign-in check. */
export async function partnerCaller() {
  const user = await requirePartnerUser();
  return createCaller(createContextInner({ user }));
}
