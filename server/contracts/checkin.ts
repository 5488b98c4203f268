/**
 * The appliance's check-in (seed: "Check-In Enhancements" and "Credential-Pull Architecture").
 *
 * Sealed secrets. An appliance that registered `public_key` at claim receives each target's password as
 * `sealed_password` instead of `password`:
 *   sealed_password = base64( 0x01 || ephemeral_public_key[32] || nonce[12] || ciphertext || tag[16] )
 * where, for each check-in response, the server makes a fresh X25519 key pair (ephemeral; every secret in
 * that response carries the same ephemeral public key, each with its own random nonce) and computes
 *   shared = X25519(ephemeral_private, appliance_public)
 *   key    = HKDF-SHA256(ikm = shared, salt = ephemeral_public || appliance_public,
 *                        info = "osiriscare sealed secret v1", length = 32)
 *   ciphertext, tag = AES-256-GCM(key, nonce, plaintext = UTF-8 password, aad = UTF-8 appliance_id)
 * The appliance derives its X25519 private key from its API key (see appliance/src/crypto/appliance-key.ts), so the
 * API key in its 0600 config stays the only secret on its disk.
 */
import { z } from "zod";
import { Hostname } from "./provisioning";

export const SEALED_SECRET_VERSION = 1;
export const SEALED_SECRET_INFO = "osiriscare sealed secret v1";

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
});
export type CheckinRequest = z.infer<typeof CheckinRequest>;

export const WindowsTargetTransport = z.enum(["ntlm", "kerberos", "basic"]);

/** A Windows host to scan over WinRM, with the credential to use. Exactly one of password / sealed_password. */
export const WindowsTargetWire = z
  .object({
    hostname: z.string().min(1),
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
});
export type CheckinResponse = z.infer<typeof CheckinResponse>;
