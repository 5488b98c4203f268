import { z } from "zod";
import { AlertFilters, NotificationsQuery } from "@/server/contracts/lists";
import { AlertPageView, NotificationListView, NotificationsMarkedView, UnreadCountView } from "@/server/contracts/ui";
import { listAlerts, markAlertsRead } from "@/server/domain/notifications/list-alerts";
import {
  countUnreadNotifications,
  listNotifications,
  markNotificationsRead,
} from "@/server/domain/notifications/partner-notifications";
import { camelObject } from "../camel-input";
import { camelKeys, snakeKeys } from "../camel-keys";
import { partnerProcedure, router } from "../trpc";

export const notificationsRouter = router({
  list: partnerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).optional() }).optional())
    .output(NotificationListView)
    .query(async ({ ctx, input }) =>
      camelKeys(await listNotifications(ctx.db, ctx.partnerId, { limit: input?.limit })),
    ),
  /** The Alerts page: searched, filtered (type, site, read state), sorted by time and paged in the database. */
  page: partnerProcedure
    .input(camelObject(NotificationsQuery.omit({ limit: true })).optional())
    .output(AlertPageView)
    .query(async ({ ctx, input }) => camelKeys(await listAlerts(ctx.db, ctx.partnerId, input ? snakeKeys(input) : {}))),
  unreadCount: partnerProcedure
    .output(UnreadCountView)
    .query(({ ctx }) => countUnreadNotifications(ctx.db, ctx.partnerId)),
  /** These ids (another partner's are ignored), every alert matching a filter, or (neither) all of them. */
  markRead: partnerProcedure
    .input(
      z.object({
        ids: z.array(z.string().min(1).max(64)).max(500).optional(),
        allMatching: AlertFilters.optional(),
      }),
    )
    .output(NotificationsMarkedView)
    .mutation(({ ctx, input }) =>
      input.allMatching
        ? markAlertsRead(ctx.db, ctx.partnerId, { all_matching: input.allMatching })
        : markNotificationsRead(ctx.db, ctx.partnerId, input.ids),
    ),
});
