import { z } from "zod";

/** Every 4xx/5xx answer from the REST API. */
export const ErrorResponse = z.object({ error: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const HexColor = z
  .string()
  .regex(/^#[0-9A-Fa-f]{6}$/, "must be a colour like #2563EB")
  .transform((c) => c.toUpperCase());

export const PartnerSlug = z
  .string()
  .min(2, "must be at least 2 characters")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters, digits and single hyphens, like nepa-it");

/**
 * The first path segments of the web app's own pages and APIs. A partner's sign-in lives at /<slug>/sign-in,
 * where a static route of the same name wins: such a slug would get no branded sign-in, so a new partner may
 * not take one (tests/unit/reserved-slugs.test.ts keeps this list in step with app/).
 */
export const RESERVED_PARTNER_SLUGS = [
  "activity",
  "admin",
  "alerts",
  "api",
  "api-tokens",
  "appliances",
  "compliance-settings",
  "dashboard",
  "invite",
  "provision-codes",
  "sign-in",
  "sites",
  "users",
] as const;

/** A slug for a new partner: a PartnerSlug that is not one of the app's own path segments. */
export const NewPartnerSlug = PartnerSlug.refine(
  (slug) => !(RESERVED_PARTNER_SLUGS as readonly string[]).includes(slug),
  "is the name of a page of the console; choose another, like nepa-it",
);
