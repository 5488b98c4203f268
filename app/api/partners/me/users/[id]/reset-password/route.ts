import { z } from "zod";
import { db } from "@/server/db";
import { resetUserPassword } from "@/server/domain/users/reset-user-password";
import { toIssuedJson } from "@/server/domain/users/user-json";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/partners/me/users/{id}/reset-password – a one-time password-reset link, shown once (full
  // token); the user's sessions end now. Another partner's user is 404.
  POST: route({ auth: "partner-token", params }, async ({ principal, params, ip }) => {
    const reset = await resetUserPassword(db(), principal.partnerId, params.id, {
      actorType: "partner_token",
      actorId: principal.tokenId,
      ip,
    });
    return { ...toIssuedJson(reset), sessions_ended: reset.sessionsEnded };
  }),
});
