/**
 * The partner's activity log over REST: console and API actions (credentials, provision codes, API tokens,
 * appliances, users, sign-ins), each naming who did it, from where, when, and what it touched by name.
 * Never a secret: audit rows record names, never passwords, codes or tokens.
 */
import { z } from "zod";

/** Action groups a filter can name instead of one action. */
export const ACTIVITY_GROUPS = {
  credentials: ["credential.", "domain_credential."],
  provision_codes: ["provision_code.", "provision.claim"],
  api_tokens: ["api_token."],
  appliances: ["appliance.", "dc_certificate."],
  users: ["user.invited", "user.removed", "user.role_changed", "user.invite", "user.password", "user.sign_in_unlocked"],
  sign_ins: ["user.signed_in", "user.sign_in_failed", "user.signed_out"],
  settings: ["compliance_thresholds.", "scan_schedule."],
  directory: ["domain.", "enumeration.", "windows_targets."],
} as const satisfies Record<string, readonly string[]>;
export const ActivityGroup = z.enum(Object.keys(ACTIVITY_GROUPS) as [keyof typeof ACTIVITY_GROUPS]);
export type ActivityGroup = z.infer<typeof ActivityGroup>;

export const ACTIVITY_MAX_PAGE_SIZE = 200;
/** The CSV export's bound: narrow the dates for more. */
export const ACTIVITY_CSV_MAX_ROWS = 50_000;

/** A date (YYYY-MM-DD, a whole UTC day) or an ISO date-time. */
const DateOrTime = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    "must be a date (YYYY-MM-DD) or an ISO date-time",
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), "must be a real date");

/** GET /api/partners/me/activity(.csv)?actor=&group=&action=&from=&to=&q=&order=&page=&page_size= */
export const ActivityQuery = z.object({
  /** Only this actor's actions: a user id, API token id or appliance id. */
  actor: z.string().trim().min(1).max(200).optional(),
  /** Only this group of actions. */
  group: ActivityGroup.optional(),
  /** Only this one action, e.g. `credential.deleted`. */
  action: z
    .string()
    .trim()
    .regex(/^[a-z_]+\.[a-z_]+$/, "must be an action name like credential.deleted")
    .max(80)
    .optional(),
  /** From this date (inclusive) … */
  from: DateOrTime.optional(),
  /** … to this date (a YYYY-MM-DD includes that whole day). */
  to: DateOrTime.optional(),
  /** Matches the actor's or target's name, the site, the IP or the action, case-insensitive. */
  q: z.string().trim().max(100, "must be at most 100 characters").optional(),
  /** By time: newest first (desc, the default) or oldest first. */
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(100_000).default(1),
  page_size: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(ACTIVITY_MAX_PAGE_SIZE, `must be at most ${ACTIVITY_MAX_PAGE_SIZE}`)
    .default(50),
});
export type ActivityQuery = z.input<typeof ActivityQuery>;
export type ActivityFilters = z.output<typeof ActivityQuery>;

export const ActivityEntry = z.object({
  id: z.string(),
  at: z.string().datetime(),
  action: z.string(),
  /** Human-readable: "Credential 'File server' added". */
  summary: z.string(),
  actor_type: z.enum(["user", "partner_token", "appliance", "system", "anonymous"]),
  actor_id: z.string().nullable(),
  /** The user's name, the token's name, the appliance's hostname; null for the system or an unknown caller. */
  actor_name: z.string().nullable(),
  /** The user's email or the token's prefix. */
  actor_detail: z.string().nullable(),
  ip: z.string().nullable(),
  /** A failed sign-in's reason (wrong_password, account_locked, unknown_account); null otherwise. */
  reason: z.string().nullable(),
  site_id: z.string().nullable(),
  site_name: z.string().nullable(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  /** The credential's name, the code's clinic, the appliance's hostname… as recorded at the time. */
  target_name: z.string().nullable(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

/** A page; `has_more` says whether the next page has entries. */
export const ActivityPage = z.object({
  entries: z.array(ActivityEntry),
  page: z.number().int(),
  page_size: z.number().int(),
  has_more: z.boolean(),
});
export type ActivityPage = z.infer<typeof ActivityPage>;
