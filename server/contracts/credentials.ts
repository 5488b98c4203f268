/** Site credentials (seed: site_credentials). Secrets go in, never come out. */
import { z } from "zod";
import { Hostname } from "./provisioning";

export const CredentialType = z.enum(["winrm", "domain_admin", "service_account", "local_admin"]);
export type CredentialType = z.infer<typeof CredentialType>;

/** POST /api/partners/me/sites/{site_id}/credentials */
export const CreateSiteCredentialRequest = z.object({
  credential_type: CredentialType,
  credential_name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  host: Hostname.optional(),
  username: z.string().trim().min(1, "must not be empty").max(256),
  password: z.string().min(1, "must not be empty").max(1024, "must be at most 1024 characters"),
  domain: z.string().trim().min(1).max(255).optional(),
  use_ssl: z.boolean().default(false),
});
export type CreateSiteCredentialRequest = z.input<typeof CreateSiteCredentialRequest>;

/** Edit: every field optional; a missing password keeps the stored one. `host: null` removes the host. */
export const UpdateSiteCredentialRequest = z.object({
  credential_name: z.string().trim().min(1).max(100).optional(),
  host: Hostname.nullable().optional(),
  username: z.string().trim().min(1).max(256).optional(),
  password: z.string().min(1).max(1024).optional(),
  domain: z.string().trim().min(1).max(255).nullable().optional(),
  use_ssl: z.boolean().optional(),
});
export type UpdateSiteCredentialRequest = z.input<typeof UpdateSiteCredentialRequest>;

/** What a partner sees of a credential: everything but the password. */
export const SiteCredentialSummary = z.object({
  id: z.string(),
  site_id: z.string(),
  credential_type: CredentialType,
  credential_name: z.string(),
  host: z.string().nullable(),
  username: z.string(),
  domain: z.string().nullable(),
  use_ssl: z.boolean(),
  created_at: z.string().datetime(),
  updated_at: z.string().datetime(),
});
export type SiteCredentialSummary = z.infer<typeof SiteCredentialSummary>;

export const SiteCredentialList = z.object({ credentials: z.array(SiteCredentialSummary) });
