import { z } from "zod";
import { Timestamp } from "./common";

export const NotificationView = z.object({
  id: z.string(),
  siteId: z.string().nullable(),
  /** e.g. appliance.offline, appliance.online, trigger.failed */
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** Where its call to action goes (the site page, at #domain-credential or #targets for AD alerts). */
  actionUrl: z.string().nullable(),
  readAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type NotificationView = z.infer<typeof NotificationView>;

/** notifications.list: the newest notifications and how many are unread in all. */
export const NotificationListView = z.object({
  unread: z.number().int().nonnegative(),
  items: z.array(NotificationView),
});
export type NotificationListView = z.infer<typeof NotificationListView>;

/** notifications.unreadCount */
export const UnreadCountView = z.number().int().nonnegative();

/** notifications.markRead */
export const NotificationsMarkedView = z.object({ marked: z.number().int().nonnegative() });
