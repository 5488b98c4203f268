// /admin/queues – the BullMQ dashboard, for platform admins only (401 anonymous, 403 anyone else).

import { buildQueueBoard } from "@/server/admin/queue-board";
import { getSessionUser } from "@/server/auth/session";
import { errorResponse } from "@/server/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

let board: ReturnType<typeof buildQueueBoard> | undefined;

async function handler(req: Request): Promise<Response> {
  const user = await getSessionUser(req.headers);
  if (!user) return errorResponse(401, "Sign in as a platform admin to see the queues.");
  if (user.role !== "platform_admin") return errorResponse(403, "Only platform admins can see the queues.");
  board ??= buildQueueBoard();
  return board.fetch(req);
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
