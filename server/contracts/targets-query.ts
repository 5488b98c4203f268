/**
 * GET /api/partners/me/sites/{site_id}/targets?kind=&q=&provenance=&status=&sort=&order=&page=&page_size=
 * Search, filters, sorting and paging are done by the server (a 10,000-computer site sends one page).
 * Without any parameter the answer is the first page (25) of each list, sorted by hostname.
 */
import { z } from "zod";

/**
 * A row's one status, the first that applies: not_seen (a complete enumeration no longer lists it),
 * awaiting_approval (a server found after the first enumeration, no credential yet), disabled (in AD),
 * stale (no logon for 60 days), else approved (a discovered server with the domain credential), manual
 * (a server with its own credential) or listed (a workstation in AD). Sorting by status uses this order.
 */
export const TARGET_STATUSES = [
  "not_seen",
  "awaiting_approval",
  "disabled",
  "stale",
  "approved",
  "manual",
  "listed",
] as const;
export const TargetStatus = z.enum(TARGET_STATUSES);
export type TargetStatus = z.infer<typeof TargetStatus>;

export const TARGET_SORTS = ["hostname", "os", "last_logon", "last_seen", "status"] as const;
export const TargetSort = z.enum(TARGET_SORTS);
export type TargetSort = z.infer<typeof TargetSort>;

export const TARGETS_PAGE_SIZE = 25;
export const TARGETS_MAX_PAGE_SIZE = 100;

const whole = () => z.coerce.number({ error: "must be a number" }).int("must be a whole number");

export const TargetsQuery = z.object({
  /** One list only (the other is then empty and its page null); both when absent. */
  kind: z.enum(["server", "workstation"], { error: "must be server or workstation" }).optional(),
  /** Case-insensitive substring of the hostname, AD name, OS or distinguished name (the OU path). */
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
  provenance: z.enum(["manual", "discovered"], { error: "must be manual or discovered" }).optional(),
  status: z.enum(TARGET_STATUSES, { error: `must be one of ${TARGET_STATUSES.join(", ")}` }).optional(),
  sort: z.enum(TARGET_SORTS, { error: `must be one of ${TARGET_SORTS.join(", ")}` }).default("hostname"),
  order: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("asc"),
  page: whole().min(1, "must be at least 1").max(100_000, "must be at most 100000").default(1),
  page_size: whole()
    .min(1, "must be at least 1")
    .max(TARGETS_MAX_PAGE_SIZE, `must be at most ${TARGETS_MAX_PAGE_SIZE}`)
    .default(TARGETS_PAGE_SIZE),
});
export type TargetsQuery = z.input<typeof TargetsQuery>;

/** Where a list's page sits: `total` counts every row that matches the search and filters. */
export const TargetsPage = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
});
export type TargetsPage = z.infer<typeof TargetsPage>;
