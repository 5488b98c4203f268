import { db } from "@/server/db";
import { getPartnerBranding } from "@/server/domain/partners/get-partner-branding";
import { methods, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/partners/me – the token's partner: { slug, brand_name, primary_color }.
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route({ auth: "partner-token" }, ({ principal }) => getPartnerBranding(db(), principal.partnerId)),
});
