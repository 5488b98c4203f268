import { z } from "zod";
import { NotificationListView, NotificationsMarkedView, UnreadCountView } from "@/server/contracts/ui";
import {
  countUnreadNotifications,
  listNotifications,
  markNotificationsRead,
} from "@/server/domain/notifications/partner-notifications";
import { camelKeys } from "../camel-keys";
import { partnerProcedure, router } from "../trpc";

export const notificationsRouter = router({
  list: partnerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).optional() }).optional())
    .output(NotificationListView)
    .query(async ({ ctx, input }) =>
      camelKeys(await listNotifications(ctx.db, ctx.partnerId, { limit: input?.limit })),
    ),
  unreadCount: partnerProcedure
    .output(UnreadCountView)
    .query(({ ctx }) => countUnreadNotifications(ctx.db, ctx.partnerId)),
  markRead: partnerProcedure
    .input(z.object({ ids: z.array(z.string().min(1).max(64)).max(500).optional() }))
    .output(NotificationsMarkedView)
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.db, ctx.partnerId, input.ids)),
});
