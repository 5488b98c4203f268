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
