import { z } from "zod";
import { HexColor, PartnerSlug } from "./common";

/** GET /api/partners/me */
export const PartnerBranding = z.object({
  slug: PartnerSlug,
  brand_name: z.string(),
  primary_color: HexColor,
});
export type PartnerBranding = z.infer<typeof PartnerBranding>;

/** What a partner API token may do: `read` only GETs; `full` what a partner admin may do. */
export const ApiTokenScope = z.enum(["read", "full"]);
export type ApiTokenScope = z.infer<typeof ApiTokenScope>;

/** POST /api/partners/me/api-tokens */
export const CreateApiTokenRequest = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  scope: ApiTokenScope,
  /** ISO 8601 with a time zone; must lie in the future. Omitted: the token does not expire. */
  expires_at: z
    .string()
    .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone, e.g. 2027-01-31T00:00:00Z" })
    .refine((v) => Date.parse(v) > Date.now(), "must be in the future")
    .optional(),
});
export type CreateApiTokenRequest = z.input<typeof CreateApiTokenRequest>;

/** 201 answer: the only time the token itself is shown. */
export const ApiTokenCreated = z.object({
  id: z.string(),
  name: z.string(),
  scope: ApiTokenScope,
  token: z.string(),
  expires_at: z.string().nullable(),
});
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

/** One row of GET /api/partners/me/api-tokens: never the token. */
export const ApiTokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  scope: ApiTokenScope,
  prefix: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type ApiTokenSummary = z.infer<typeof ApiTokenSummary>;

export const ApiTokenList = z.object({ api_tokens: z.array(ApiTokenSummary) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

/** POST /api/partners/me/appliances/{appliance_id}/revoke */
export const ApplianceRevoked = z.object({
  appliance_id: z.string(),
  site_id: z.string(),
  revoked_at: z.string(),
  revoked_by: z.string(),
});
export type ApplianceRevoked = z.infer<typeof ApplianceRevoked>;
