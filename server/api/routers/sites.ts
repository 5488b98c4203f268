import { z } from "zod";
import {
  AcceptDcCertificateRequest,
  ApproveTargetsRequest,
  CreateDomainCredentialRequest,
  CreateSiteCredentialRequest,
  CredentialAccessQuery,
  TARGET_SORTS,
  TargetsQuery,
  UpdateSiteCredentialRequest,
} from "@/server/contracts";
import {
  ApplianceRevokedView,
  CredentialAccessPageView,
  CredentialDeletedView,
  DcCertificateAcceptedView,
  DomainControllerListView,
  DomainCredentialMetadataView,
  DomainCredentialView,
  ScanRequestedView,
  SiteCoverageView,
  SiteCredentialView,
  SiteDetailView,
  SiteListView,
  SiteTargetsView,
  TargetsApprovedView,
} from "@/server/contracts/ui";
import { revokeAppliance } from "@/server/domain/appliances/revoke-appliance";
import { listCredentialAccess } from "@/server/domain/credential-access/list-credential-access";
import {
  createSiteCredential,
  deleteSiteCredential,
  updateSiteCredential,
} from "@/server/domain/credentials/site-credentials";
import { acceptDcCertificate } from "@/server/domain/dc-certificates/accept-dc-certificate";
import { listDomainControllers } from "@/server/domain/dc-certificates/list-domain-controllers";
import { approveTargets } from "@/server/domain/directory/approve-targets";
import { getDomainCredentialMetadata, setDomainCredential } from "@/server/domain/directory/domain-credential";
import { getSiteCoverage } from "@/server/domain/directory/site-coverage";
import { listSiteTargets } from "@/server/domain/directory/site-targets";
import { getSiteDetail, listSites, requestSiteScan } from "@/server/domain/sites/site-views";
import { camelObject } from "../camel-input";
import { camelCase, camelKeys, snakeCase, snakeKeys } from "../camel-keys";
import { partnerAdminProcedure, partnerProcedure, router } from "../trpc";
import { siteComplianceProcedures } from "./site-compliance";

// The same bounds as the REST paths' ids.
const siteId = z.object({ siteId: z.string().min(1).max(120) });
const credentialId = z.string().min(1).max(64);

/** sites.targets' input: the REST query in camelCase, sort fields too (`lastLogon`, not `last_logon`). */
const targetsInput = siteId.extend({
  ...camelObject(TargetsQuery).shape,
  sort: z.enum(TARGET_SORTS.map(camelCase) as [string, ...string[]]).optional(),
});

/** Technicians read and request scans; credential and appliance changes are partner-admin only. */
export const sitesRouter = router({
  list: partnerProcedure
    .output(SiteListView)
    .query(async ({ ctx }) => camelKeys(await listSites(ctx.db, ctx.partnerId))),
  get: partnerProcedure
    .input(siteId)
    .output(SiteDetailView)
    .query(async ({ ctx, input }) => camelKeys(await getSiteDetail(ctx.db, ctx.partnerId, input.siteId))),
  /** The site's credential access log, a page at a time (the same as the REST endpoint). */
  credentialAccess: partnerProcedure
    .input(siteId.extend(camelObject(CredentialAccessQuery).shape))
    .output(CredentialAccessPageView)
    .query(async ({ ctx, input: { siteId: site, ...query } }) =>
      camelKeys(await listCredentialAccess(ctx.db, ctx.partnerId, site, snakeKeys(query))),
    ),
  requestScan: partnerProcedure
    .input(siteId)
    .output(ScanRequestedView)
    .mutation(({ ctx, input }) =>
      requestSiteScan(ctx.db, ctx.partnerId, input.siteId, `requested by ${ctx.user.email}`),
    ),
  createCredential: partnerAdminProcedure
    .input(siteId.extend({ credential: camelObject(CreateSiteCredentialRequest) }))
    .output(SiteCredentialView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await createSiteCredential(ctx.db, ctx.partnerId, input.siteId, snakeKeys(input.credential), {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
  updateCredential: partnerAdminProcedure
    .input(siteId.extend({ credentialId, changes: camelObject(UpdateSiteCredentialRequest) }))
    .output(SiteCredentialView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await updateSiteCredential(ctx.db, ctx.partnerId, input.siteId, input.credentialId, snakeKeys(input.changes), {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
        }),
      ),
    ),
  deleteCredential: partnerAdminProcedure
    .input(siteId.extend({ credentialId }))
    .output(CredentialDeletedView)
    .mutation(({ ctx, input }) =>
      deleteSiteCredential(ctx.db, ctx.partnerId, input.siteId, input.credentialId, {
        actorType: "user",
        actorId: ctx.user.id,
        ip: ctx.ip,
      }),
    ),
  /** Active Directory: servers and workstations, coverage, the domain credential (never its password). */
  targets: partnerProcedure
    .input(targetsInput)
    .output(SiteTargetsView)
    .query(async ({ ctx, input: { siteId: site, sort, ...query } }) =>
      camelKeys(
        await listSiteTargets(ctx.db, ctx.partnerId, site, {
          ...snakeKeys(query),
          sort: sort === undefined ? undefined : (snakeCase(sort) as TargetsQuery["sort"]),
        }),
      ),
    ),
  coverage: partnerProcedure
    .input(siteId)
    .output(SiteCoverageView)
    .query(async ({ ctx, input }) => camelKeys(await getSiteCoverage(ctx.db, ctx.partnerId, input.siteId))),
  ...siteComplianceProcedures,
  domainCredential: partnerProcedure
    .input(siteId)
    .output(DomainCredentialMetadataView)
    .query(async ({ ctx, input }) => camelKeys(await getDomainCredentialMetadata(ctx.db, ctx.partnerId, input.siteId))),
  setDomainCredential: partnerAdminProcedure
    .input(siteId.extend({ credential: camelObject(CreateDomainCredentialRequest) }))
    .output(DomainCredentialView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await setDomainCredential(ctx.db, ctx.partnerId, input.siteId, snakeKeys(input.credential), {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
          by: ctx.user.email,
        }),
      ),
    ),
  /** The site's DCs with the certificate each presents and the one trusted (fingerprints, never secrets). */
  domainControllers: partnerProcedure
    .input(siteId)
    .output(DomainControllerListView)
    .query(async ({ ctx, input }) => camelKeys(await listDomainControllers(ctx.db, ctx.partnerId, input.siteId))),
  acceptDcCertificate: partnerAdminProcedure
    .input(siteId.extend(camelObject(AcceptDcCertificateRequest).shape))
    .output(DcCertificateAcceptedView)
    .mutation(({ ctx, input: { siteId: site, ...req } }) =>
      acceptDcCertificate(ctx.db, ctx.partnerId, site, snakeKeys(req), {
        actorType: "user",
        actorId: ctx.user.id,
        ip: ctx.ip,
        by: ctx.user.email,
      }),
    ),
  approveTargets: partnerAdminProcedure
    // The either-or rule (targetIds or all) is the service's: it parses with the REST schema again.
    .input(siteId.extend(camelObject(ApproveTargetsRequest).shape))
    .output(TargetsApprovedView)
    .mutation(({ ctx, input: { siteId: site, ...req } }) =>
      approveTargets(ctx.db, ctx.partnerId, site, snakeKeys(req), {
        actorType: "user",
        actorId: ctx.user.id,
        ip: ctx.ip,
        by: ctx.user.email,
      }),
    ),
  revokeAppliance: partnerAdminProcedure
    .input(z.object({ applianceId: z.string().min(1).max(200) }))
    .output(ApplianceRevokedView)
    .mutation(async ({ ctx, input }) =>
      camelKeys(
        await revokeAppliance(ctx.db, ctx.partnerId, input.applianceId, {
          actorType: "user",
          actorId: ctx.user.id,
          ip: ctx.ip,
          by: ctx.user.email,
        }),
      ),
    ),
});
