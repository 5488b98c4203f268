import { z } from "zod";
import { Timestamp } from "./common";

export const SIGN_IN_ACTIONS = ["user.signed_in", "user.sign_in_failed", "user.signed_out"] as const;

/** activity.signIns: one sign-in, failed sign-in or sign-out of the partner's users. */
export const SignInEventView = z.object({
  id: z.string(),
  action: z.enum(SIGN_IN_ACTIONS),
  /** The account's user id (null for an email with no account). */
  userId: z.string().nullable(),
  email: z.string().nullable(),
  ip: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: Timestamp,
});
export type SignInEventView = z.infer<typeof SignInEventView>;

/** Newest first; pass `nextCursor` as the next call's `cursor` (null on the last page). */
export const SignInEventPageView = z.object({ events: z.array(SignInEventView), nextCursor: z.string().nullable() });
export type SignInEventPageView = z.infer<typeof SignInEventPageView>;

/** activity.unlock */
export const SignInUnlockedView = z.object({ email: z.string() });

/** activity.list: one entry of the partner's activity log (the REST ActivityEntry, camelCase). */
export const ActivityEntryView = z.object({
  id: z.string(),
  at: Timestamp,
  action: z.string(),
  summary: z.string(),
  actorType: z.enum(["user", "partner_token", "appliance", "system", "anonymous"]),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorDetail: z.string().nullable(),
  ip: z.string().nullable(),
  reason: z.string().nullable(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetName: z.string().nullable(),
});
export type ActivityEntryView = z.infer<typeof ActivityEntryView>;

export const ActivityPageView = z.object({
  entries: z.array(ActivityEntryView),
  page: z.number().int(),
  pageSize: z.number().int(),
  hasMore: z.boolean(),
});
export type ActivityPageView = z.infer<typeof ActivityPageView>;
