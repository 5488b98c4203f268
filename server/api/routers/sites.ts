import { z } from "zod";
import {
  ApproveTargetsRequest,
  CreateDomainCredentialRequest,
  CreateSiteCredentialRequest,
  CredentialAccessPage,
  CredentialAccessQuery,
  UpdateSiteCredentialRequest,
} from "@/server/contracts";
import { revokeAppliance } from "@/server/domain/appliances/revoke-appliance";
import { listCredentialAccess } from "@/server/domain/credential-access/list-credential-access";
import {
  createSiteCredential,
  deleteSiteCredential,
  updateSiteCredential,
} from "@/server/domain/credentials/site-credentials";
import { approveTargets } from "@/server/domain/directory/approve-targets";
import { getDomainCredentialMetadata, setDomainCredential } from "@/server/domain/directory/domain-credential";
import { getSiteCoverage } from "@/server/domain/directory/site-coverage";
import { listSiteTargets } from "@/server/domain/directory/site-targets";
import { getSiteDetail, listSites, requestSiteScan } from "@/server/domain/sites/site-views";
import { partnerAdminProcedure, partnerProcedure, router } from "../trpc";

const siteId = z.object({ siteId: z.string().min(1) });

/** Technicians read and request scans; credential and appliance changes are partner-admin only. */
export const sitesRouter = router({
  list: partnerProcedure.query(({ ctx }) => listSites(ctx.db, ctx.partnerId)),
  get: partnerProcedure.input(siteId).query(({ ctx, input }) => getSiteDetail(ctx.db, ctx.partnerId, input.siteId)),
  /** The site's credential access log, a page at a time (the same as the REST endpoint). */
  credentialAccess: partnerProcedure
    .input(siteId.extend(CredentialAccessQuery.shape))
    .output(CredentialAccessPage)
    .query(({ ctx, input: { siteId: site, ...query } }) => listCredentialAccess(ctx.db, ctx.partnerId, site, query)),
  requestScan: partnerProcedure
    .input(siteId)
    .mutation(({ ctx, input }) =>
      requestSiteScan(ctx.db, ctx.partnerId, input.siteId, `requested by ${ctx.user.email}`),
    ),
  createCredential: partnerAdminProcedure
    .input(siteId.extend({ credential: CreateSiteCredentialRequest }))
    .mutation(({ ctx, input }) =>
      createSiteCredential(ctx.db, ctx.partnerId, input.siteId, input.credential, {
        actorType: "user",
        actorId: ctx.user.id,
      }),
    ),
  updateCredential: partnerAdminProcedure
    .input(siteId.extend({ credentialId: z.string().min(1), changes: UpdateSiteCredentialRequest }))
    .mutation(({ ctx, input }) =>
      updateSiteCredential(ctx.db, ctx.partnerId, input.siteId, input.credentialId, input.changes, {
        actorType: "user",
        actorId: ctx.user.id,
      }),
    ),
  deleteCredential: partnerAdminProcedure
    .input(siteId.extend({ credentialId: z.string().min(1) }))
    .mutation(({ ctx, input }) =>
      deleteSiteCredential(ctx.db, ctx.partnerId, input.siteId, input.credentialId, {
        actorType: "user",
        actorId: ctx.user.id,
      }),
    ),
  /** Active Directory: servers and workstations, coverage, the domain credential (never its password). */
  targets: partnerProcedure
    .input(siteId)
    .query(({ ctx, input }) => listSiteTargets(ctx.db, ctx.partnerId, input.siteId)),
  coverage: partnerProcedure
    .input(siteId)
    .query(({ ctx, input }) => getSiteCoverage(ctx.db, ctx.partnerId, input.siteId)),
  domainCredential: partnerProcedure
    .input(siteId)
    .query(({ ctx, input }) => getDomainCredentialMetadata(ctx.db, ctx.partnerId, input.siteId)),
  setDomainCredential: partnerAdminProcedure
    .input(siteId.extend({ credential: CreateDomainCredentialRequest }))
    .mutation(({ ctx, input }) =>
      setDomainCredential(ctx.db, ctx.partnerId, input.siteId, input.credential, {
        actorType: "user",
        actorId: ctx.user.id,
      }),
    ),
  approveTargets: partnerAdminProcedure
    .input(siteId.and(ApproveTargetsRequest))
    .mutation(({ ctx, input: { siteId: site, ...req } }) =>
      approveTargets(ctx.db, ctx.partnerId, site, req, { actorType: "user", actorId: ctx.user.id, by: ctx.user.email }),
    ),
  revokeAppliance: partnerAdminProcedure
    .input(z.object({ applianceId: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) =>
      revokeAppliance(ctx.db, ctx.partnerId, input.applianceId, {
        actorType: "user",
        actorId: ctx.user.id,
        by: ctx.user.email,
      }),
    ),
});
