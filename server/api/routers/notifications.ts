import { z } from "zod";
import {
  countUnreadNotifications,
  listNotifications,
  markNotificationsRead,
} from "@/server/domain/notifications/partner-notifications";
import { partnerProcedure, router } from "../trpc";

export const notificationsRouter = router({
  list: partnerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).optional() }).optional())
    .query(({ ctx, input }) => listNotifications(ctx.db, ctx.partnerId, { limit: input?.limit })),
  unreadCount: partnerProcedure.query(({ ctx }) => countUnreadNotifications(ctx.db, ctx.partnerId)),
  markRead: partnerProcedure
    .input(z.object({ ids: z.array(z.string().min(1)).max(500).optional() }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.db, ctx.partnerId, input.ids)),
});
