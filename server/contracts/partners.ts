import { z } from "zod";
import { HexColor, PartnerSlug } from "./common";

/** GET /api/partners/me */
export const PartnerBranding = z.object({
  slug: PartnerSlug,
  brand_name: z.string(),
  primary_color: HexColor,
});
export type PartnerBranding = z.infer<typeof PartnerBranding>;
