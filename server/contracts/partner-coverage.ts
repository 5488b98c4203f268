import { z } from "zod";

/** One site's AD coverage on the dashboard (the site page has the full view: GET …/sites/{id}/coverage). */
export const SiteCoverageRow = z.object({
  site_id: z.string(),
  client_name: z.string(),
  computers_in_ad: z.number().int(),
  servers_in_ad: z.number().int(),
  servers_scanned: z.number().int(),
  agents_reporting: z.number().int(),
  /** null when AD lists no computer at the site. */
  coverage_percent: z.number().nullable(),
  disabled: z.number().int(),
  stale: z.number().int(),
  servers_awaiting_approval: z.number().int(),
});
export type SiteCoverageRow = z.infer<typeof SiteCoverageRow>;

/**
 * The partner's AD coverage across sites: totals, and the sites whose AD lists computers (lowest coverage
 * first, at most PARTNER_COVERAGE_SITES of them; `sites_with_ad` counts them all). Servers scanned and agents
 * reporting arrive with later issues and count 0 until then, as on the site page.
 */
export const PartnerCoverage = z.object({
  totals: SiteCoverageRow.omit({ site_id: true, client_name: true }),
  sites_with_ad: z.number().int(),
  sites: z.array(SiteCoverageRow),
});
export type PartnerCoverage = z.infer<typeof PartnerCoverage>;

export const PARTNER_COVERAGE_SITES = 10;
