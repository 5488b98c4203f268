/**
 * sites.compliance and sites.complianceDrift (spread into the sites router): the same service functions
 * and query rules as the REST paths, camelCase in and out. Any partner user may read them.
 */
import { z } from "zod";
import { ComplianceDriftQuery, SiteComplianceQuery } from "@/server/contracts";
import { ComplianceDriftPageView, SiteComplianceView } from "@/server/contracts/ui";
import { listComplianceDrift } from "@/server/domain/compliance/list-compliance-drift";
import { getSiteCompliance } from "@/server/domain/compliance/site-compliance";
import { camelObject } from "../camel-input";
import { camelKeys, snakeKeys } from "../camel-keys";
import { partnerProcedure } from "../trpc";

const siteId = z.object({ siteId: z.string().min(1).max(120) });

export const siteComplianceProcedures = {
  /** The host × control matrix: latest result per host and control, a page of hosts at a time. */
  compliance: partnerProcedure
    .input(siteId.extend(camelObject(SiteComplianceQuery).shape))
    .output(SiteComplianceView)
    .query(async ({ ctx, input: { siteId: site, ...query } }) =>
      camelKeys(await getSiteCompliance(ctx.db, ctx.partnerId, site, snakeKeys(query))),
    ),
  /** The drift timeline, newest first, keyset-paged. */
  complianceDrift: partnerProcedure
    .input(siteId.extend(camelObject(ComplianceDriftQuery).shape))
    .output(ComplianceDriftPageView)
    .query(async ({ ctx, input: { siteId: site, ...query } }) =>
      camelKeys(await listComplianceDrift(ctx.db, ctx.partnerId, site, snakeKeys(query))),
    ),
};
