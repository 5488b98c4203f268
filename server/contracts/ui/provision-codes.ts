import { z } from "zod";
import { ProvisionCodeState, ProvisionCodeString } from "../provisioning";
import { ApplianceStatusView, Timestamp } from "./common";

/** provisionCodes.revoke: a code as listed; never the code itself (only its first characters) nor its hash. */
export const ProvisionCodeView = z.object({
  id: z.string(),
  codePrefix: z.string(),
  clientName: z.string(),
  siteId: z.string().nullable(),
  status: ProvisionCodeState,
  expiresAt: Timestamp,
  createdAt: Timestamp,
  claimedAt: Timestamp.nullable(),
  applianceId: z.string().nullable(),
});
export type ProvisionCodeView = z.infer<typeof ProvisionCodeView>;

/** provisionCodes.list: each code with, once claimed, its appliance's live provisioning progress. */
export const ProvisioningActivityView = z.array(
  ProvisionCodeView.extend({
    appliance: z
      .object({
        id: z.string(),
        hostname: z.string(),
        status: ApplianceStatusView,
        /** What the appliance last reported (claimed, configuring, discovering, ready, error). */
        provisionStatus: z.string().nullable(),
        progress: z.number().int().nullable(),
        message: z.string().nullable(),
        lastCheckinAt: Timestamp.nullable(),
      })
      .nullable(),
  }),
);
export type ProvisioningActivityView = z.infer<typeof ProvisioningActivityView>;

/** provisionCodes.create: the only answer that carries the full code. */
export const ProvisionCodeCreatedView = z.object({
  id: z.string(),
  code: ProvisionCodeString,
  clientName: z.string(),
  siteId: z.string().optional(),
  expiresAt: Timestamp,
});
export type ProvisionCodeCreatedView = z.infer<typeof ProvisionCodeCreatedView>;
