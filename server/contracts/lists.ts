/**
 * The partner's working lists over REST: every appliance across its sites, and every alert (notification).
 * Search, filters, sorting and paging are done by the server; `total` counts every row that matches.
 *   GET  /api/partners/me/appliances?q=&status=&site=&sort=&order=&page=&page_size=
 *   GET  /api/partners/me/notifications?q=&type=&site=&read=&order=&page=&page_size=  (limit= still works)
 *   POST /api/partners/me/notifications/read  { ids } | { all_matching: { q?, type?, site?, read? } }
 */
import { z } from "zod";

const whole = () => z.coerce.number({ error: "must be a number" }).int("must be a whole number");
const pageParam = () => whole().min(1, "must be at least 1").max(100_000, "must be at most 100000").default(1);
const LIST_MAX_PAGE_SIZE = 100;
const pageSizeParam = () =>
  whole().min(1, "must be at least 1").max(LIST_MAX_PAGE_SIZE, `must be at most ${LIST_MAX_PAGE_SIZE}`);
const search = () => z.string().trim().max(200, "must be at most 200 characters").optional();
const siteParam = () => z.string().trim().min(1).max(200).optional();

export const APPLIANCE_STATUSES = ["provisioning", "online", "offline", "error"] as const;
export const ApplianceListStatus = z.enum(APPLIANCE_STATUSES, {
  error: `must be one of ${APPLIANCE_STATUSES.join(", ")}`,
});
export const APPLIANCE_SORTS = ["hostname", "site", "status", "last_checkin", "version"] as const;
export const APPLIANCES_PAGE_SIZE = 25;

export const AppliancesQuery = z.object({
  /** Case-insensitive substring of the hostname, the site's clinic name, the appliance id or the site id. */
  q: search(),
  /** Only appliances in this state; revoked ones are in none (as the dashboard counts them). */
  status: ApplianceListStatus.optional(),
  /** Only this site (its id). */
  site: siteParam(),
  sort: z.enum(APPLIANCE_SORTS, { error: `must be one of ${APPLIANCE_SORTS.join(", ")}` }).default("hostname"),
  order: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("asc"),
  page: pageParam(),
  page_size: pageSizeParam().default(APPLIANCES_PAGE_SIZE),
});
export type AppliancesQuery = z.input<typeof AppliancesQuery>;
export type ApplianceFilters = z.output<typeof AppliancesQuery>;

export const ApplianceListRow = z.object({
  id: z.string(),
  hostname: z.string(),
  site_id: z.string(),
  site_name: z.string(),
  status: ApplianceListStatus,
  last_checkin_at: z.string().datetime().nullable(),
  agent_version: z.string().nullable(),
  /** Set once a partner admin revoked its key. */
  revoked_at: z.string().datetime().nullable(),
});
export type ApplianceListRow = z.infer<typeof ApplianceListRow>;

export const AppliancePage = z.object({
  appliances: z.array(ApplianceListRow),
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
});
export type AppliancePage = z.infer<typeof AppliancePage>;

/** An alert's type as the wire names it: its kind with dots as underscores (appliance_offline). */
const AlertType = z
  .string()
  .trim()
  .regex(/^[a-z][a-z_.]{0,79}$/, "must be an alert type like appliance_offline");

/** What a filter matches; also the bulk mark-read's `all_matching`. */
export const AlertFilters = z.object({
  /** Case-insensitive substring of the message, detail, site name or appliance hostname. */
  q: search(),
  type: AlertType.optional(),
  site: siteParam(),
  read: z.enum(["read", "unread"], { error: "must be read or unread" }).optional(),
});
export type AlertFilters = z.output<typeof AlertFilters>;

export const ALERTS_PAGE_SIZE = 50;

/** GET /api/partners/me/notifications: without parameters, the 50 newest (as before). */
export const NotificationsQuery = AlertFilters.extend({
  order: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("desc"),
  page: pageParam(),
  page_size: pageSizeParam().optional(),
  /** The older name for page_size (up to 200, the first page). */
  limit: whole().min(1, "must be at least 1").max(200, "must be at most 200").optional(),
});
export type NotificationsQuery = z.input<typeof NotificationsQuery>;
export type NotificationsFilters = z.output<typeof NotificationsQuery>;

/** POST /api/partners/me/notifications/read: these ids (others' ids are ignored), or every one matching. */
export const MarkNotificationsReadBody = z
  .object({
    ids: z.array(z.string().min(1).max(64)).min(1, "must name at least one").max(500).optional(),
    all_matching: AlertFilters.optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.all_matching === undefined), "give either ids or all_matching");
export type MarkNotificationsReadBody = z.input<typeof MarkNotificationsReadBody>;

export const NotificationsMarked = z.object({ marked: z.number().int().nonnegative() });
