/**
 * The credential access log: which appliance received which stored credential, when and how often,
 * one entry per appliance · credential · UTC hour.
 */
import { z } from "zod";

/** GET /api/partners/me/sites/{site_id}/credential-access?limit=&cursor=&credential_id= */
export const CredentialAccessQuery = z.object({
  /** Entries per page, 1–500 (default 100). */
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(500, "must be at most 500")
    .default(100),
  /** The `next_cursor` of the previous page. */
  cursor: z.string().min(1).max(512).optional(),
  /** Only this credential's entries. */
  credential_id: z.string().min(1).max(120).optional(),
});
export type CredentialAccessQuery = z.input<typeof CredentialAccessQuery>;

export const CredentialAccessEntry = z.object({
  credential_id: z.string(),
  appliance_id: z.string(),
  /** First and last release in this hour. */
  first_released_at: z.string().datetime(),
  last_released_at: z.string().datetime(),
  /** Releases in this hour. */
  count: z.number().int().positive(),
});
export type CredentialAccessEntry = z.infer<typeof CredentialAccessEntry>;

/**
 * Newest hour first (within an hour, by appliance then credential, so an entry never moves between
 * pages while you page). `next_cursor` is null on the last page; otherwise pass it as `?cursor=`.
 */
export const CredentialAccessPage = z.object({
  access: z.array(CredentialAccessEntry),
  next_cursor: z.string().nullable(),
});
export type CredentialAccessPage = z.infer<typeof CredentialAccessPage>;
