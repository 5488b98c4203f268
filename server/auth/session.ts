import { db } from "@/server/db";
import type { UserRole } from "@/server/generated/prisma/client";
import { auth } from "./auth";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  partnerId: string | null;
};

/**
 * The signed-in user for these request headers, or null. Role and partner are re-read from the
 * database, so a demoted or removed user loses access at once, whatever the session cookie says.
 */
export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  return db().user.findUnique({
    where: { id: session.user.id },
    select: { id: true, email: true, name: true, role: true, partnerId: true },
  });
}
