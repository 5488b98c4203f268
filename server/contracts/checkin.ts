/**
 * The appliance's check-in (seed: "Check-In Enhancements" and "Credential-Pull Architecture").
 * An appliance that registered `public_key` receives each target's password as `sealed_password`
 * (format: sealed-secret.ts), never as `password`; a client that registered no key gets the seed's
 * plain `password`.
 */
import { z } from "zod";
import { CheckinCompliance } from "./compliance-settings";
import { Hostname } from "./provisioning";

/** POST /api/appliances/checkin (appliance key). Unknown extra fields are accepted and ignored. */
export const CheckinRequest = z.looseObject({
  appliance_id: z.string().min(1),
  hostname: Hostname.optional(),
  agent_version: z.string().max(64).optional(),
  uptime_s: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600)
    .optional(),
  /** When the appliance last finished a compliance scan; acknowledges trigger_immediate_scan. */
  last_scan_completed_at: z.string().datetime({ offset: true }).optional(),
  /**
   * Targets the appliance refused to use since its last check-in (an envelope that did not open, a plain
   * password where a sealed one was due). Central Command shows them on the site page and alerts the partner
   * once per episode (hostnames and reasons only, no secret); a check-in without the field means none.
   */
  unusable_targets: z
    .array(
      z.object({
        hostname: z.string().min(1).max(253),
        credential_id: z.string().max(64).optional(),
        reason: z.string().min(1).max(300),
      }),
    )
    .max(200)
    .optional(),
});
export type CheckinRequest = z.infer<typeof CheckinRequest>;

export const WindowsTargetTransport = z.enum(["ntlm", "kerberos", "basic"]);

/** A Windows host to scan over WinRM, with the credential to use. Exactly one of password / sealed_password. */
export const WindowsTargetWire = z
  .object({
    hostname: z.string().min(1),
    /** The site credential this target uses; part of a sealed password's binding. */
    credential_id: z.string().min(1).optional(),
    /** DOMAIN\user when the credential names a domain. */
    username: z.string().min(1),
    password: z.string().optional(),
    sealed_password: z.string().optional(),
    use_ssl: z.boolean(),
    port: z.number().int().min(1).max(65535),
    transport: WindowsTargetTransport,
  })
  .refine((t) => (t.password === undefined) !== (t.sealed_password === undefined), {
    message: "exactly one of password and sealed_password",
  });
export type WindowsTargetWire = z.infer<typeof WindowsTargetWire>;

export const CheckinResponse = z.object({
  status: z.literal("ok"),
  server_time: z.string().datetime(),
  poll_interval: z.number().int().positive(),
  trigger_enumeration: z.boolean(),
  trigger_immediate_scan: z.boolean(),
  windows_targets: z.array(WindowsTargetWire),
  /** The scan schedule and thresholds; absent from servers older than the compliance scan. */
  compliance: CheckinCompliance.optional(),
});
export type CheckinResponse = z.infer<typeof CheckinResponse>;
