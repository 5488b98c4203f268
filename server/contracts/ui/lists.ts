import { z } from "zod";
import { ApplianceStatusView, Timestamp } from "./common";

/** appliances.list: one page of the partner's appliances across sites; `total` counts every match. */
export const ApplianceListView = z.object({
  appliances: z.array(
    z.object({
      id: z.string(),
      hostname: z.string(),
      siteId: z.string(),
      siteName: z.string(),
      status: ApplianceStatusView,
      lastCheckinAt: Timestamp.nullable(),
      agentVersion: z.string().nullable(),
      revokedAt: Timestamp.nullable(),
    }),
  ),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type ApplianceListView = z.infer<typeof ApplianceListView>;

/** notifications.page: one page of alerts, hosts and sites by name; `unread` counts every unread alert. */
export const AlertPageView = z.object({
  notifications: z.array(
    z.object({
      id: z.string(),
      /** The kind with dots as underscores: appliance_offline, enumeration_failed, … */
      type: z.string(),
      siteId: z.string().nullable(),
      siteName: z.string().nullable(),
      applianceId: z.string().nullable(),
      hostname: z.string().nullable(),
      message: z.string(),
      detail: z.string(),
      actionUrl: z.string().nullable(),
      createdAt: Timestamp,
      read: z.boolean(),
    }),
  ),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  unread: z.number().int(),
});
export type AlertPageView = z.infer<typeof AlertPageView>;
