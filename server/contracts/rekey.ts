/**
 * POST /api/appliances/rekey (the appliance's current key): an appliance replaces its credential and its
 * sealing public key. Appliances provisioned before key derivation v2 derived their sealing key from the
 * API key they send as a bearer token; they call this once to move to keys derived from a fresh root
 * secret. The old key stops working in the same transaction.
 */
import { z } from "zod";
import { ApplianceApiKey, X25519PublicKey } from "./provisioning";

export const RekeyRequest = z.object({
  appliance_id: z.string().min(1),
  api_key: ApplianceApiKey,
  public_key: X25519PublicKey,
});
export type RekeyRequest = z.input<typeof RekeyRequest>;

export const RekeyResponse = z.object({ status: z.literal("ok"), server_time: z.string().datetime() });
export type RekeyResponse = z.infer<typeof RekeyResponse>;
