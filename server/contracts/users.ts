/**
 * Partner users over REST (partner admins' rights: a full token to change anything), and the one-time
 * invite link with which a user sets their password.
 */
import { z } from "zod";

/** The sign-in rules' password length (better-auth's minPasswordLength and maxPasswordLength). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

/** A partner user's role: admins manage everything, technicians read and run day-to-day work. */
export const PartnerUserRole = z.enum(["partner_admin", "partner_technician"]);
export type PartnerUserRole = z.infer<typeof PartnerUserRole>;

export const UserEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email("must be an email address, like tech@example.com"));

export const UserName = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

export const UserPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const USER_SORT_FIELDS = ["name", "email", "role", "created_at"] as const;
export const USERS_MAX_PAGE_SIZE = 100;

/** GET /api/partners/me/users?q=&sort=&order=&page=&page_size= */
export const ListUsersQuery = z.object({
  /** Matches name or email, case-insensitive, anywhere in the text. */
  q: z.string().trim().max(100, "must be at most 100 characters").optional(),
  sort: z.enum(USER_SORT_FIELDS).default("name"),
  order: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(1),
  page_size: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(USERS_MAX_PAGE_SIZE, `must be at most ${USERS_MAX_PAGE_SIZE}`)
    .default(25),
});
export type ListUsersQuery = z.input<typeof ListUsersQuery>;

/**
 * One user. `status` is `invited` until the user has set a password through their link; `invite_expires_at`
 * is when their open link (invitation or password reset) stops working, or null when they have none.
 */
export const UserSummary = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: PartnerUserRole,
  status: z.enum(["active", "invited"]),
  created_at: z.string().datetime(),
  invite_expires_at: z.string().datetime().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const UserList = z.object({
  users: z.array(UserSummary),
  /** Users matching `q`, across all pages. */
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
});
export type UserList = z.infer<typeof UserList>;

/** POST /api/partners/me/users */
export const InviteUserRequest = z.object({ email: UserEmail, name: UserName, role: PartnerUserRole });
export type InviteUserRequest = z.input<typeof InviteUserRequest>;

/**
 * 201 answer to an invitation (and the answer to re-issuing a link): the only time the link is shown.
 * Hand it to the person over a channel you trust; anyone holding it can set the account's password.
 */
export const UserInviteIssued = z.object({
  user: UserSummary,
  invite_url: z.string().url(),
  expires_at: z.string().datetime(),
});
export type UserInviteIssued = z.infer<typeof UserInviteIssued>;

/**
 * PATCH /api/partners/me/users/{id}: change the role, and/or `issue_link: true` to re-issue the user's
 * one-time link (a new invitation, or a password reset for a user who has signed in before).
 */
export const UpdateUserRequest = z
  .object({ role: PartnerUserRole.optional(), issue_link: z.literal(true).optional() })
  .refine((v) => v.role !== undefined || v.issue_link !== undefined, "send role, issue_link, or both");
export type UpdateUserRequest = z.input<typeof UpdateUserRequest>;

/** The PATCH answer: the user, and the new link when one was issued. */
export const UserUpdated = z.object({
  user: UserSummary,
  invite_url: z.string().url().nullable(),
  invite_expires_at: z.string().datetime().nullable(),
});
export type UserUpdated = z.infer<typeof UserUpdated>;

/** DELETE answer: who was removed. Their sessions ended at once; their audit history stays. */
export const UserRemoved = z.object({ id: z.string(), email: z.string(), sessions_ended: z.number().int() });
export type UserRemoved = z.infer<typeof UserRemoved>;
