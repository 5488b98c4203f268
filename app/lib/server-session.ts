import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { createCaller } from "@/server/api/root";
import { createContextInner } from "@/server/api/trpc";
import { getSessionUser, type SessionUser } from "@/server/auth/session";

/** The signed-in partner user, or a redirect to sign-in that comes back to this page. */
export async function requirePartnerUser(): Promise<SessionUser & { partnerId: string }> {
  const h = await headers();
  const user = await getSessionUser(h);
  const back = h.get("x-osiris-path") ?? "/dashboard";
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(back)}`);
  if (!user.partnerId) redirect("/sign-in?error=not-a-partner");
  return { ...user, partnerId: user.partnerId };
}

/** A tRPC caller for server components, bound to the signed-in user. */
export async function serverCaller() {
  const user = await getSessionUser(await headers());
  return createCaller(createContextInner({ user }));
}
