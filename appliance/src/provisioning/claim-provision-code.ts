/**
 * First-boot provisioning, TypeScript counterpart of the seed's compliance_agent/provisioning.py, with
 * the same functions, screens and error texts (see shared/seed/appliance-provisioning.md).
 *
 * Claiming: swap a provision code for this appliance's identity (site, appliance id) without writing
 * anything; provision.ts writes config.yaml with the root secret the keys were derived from.
 */
import type { ClaimResponse } from "../../../server/contracts";
import type { ApiFailure } from "../central-command/api-failure";
import { callApi, DEFAULT_TIMEOUT_MS, type RequestOptions } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import { deriveApplianceKeys, generateRootSecret } from "../crypto/appliance-key";
import { getHostname, getMacAddress } from "../system/system-info";
import { normalizeProvisionCode } from "./provision-code";

/**
 * The message a technician sees for a failed provisioning call: the failure's message (the seed's text
 * for a refused code comes from the endpoint), and when to try again if the server said so.
 */
export function provisionErrorMessage(failure: ApiFailure): string {
  if (failure.kind === "http" && failure.retryAfterSeconds !== undefined) {
    return `${failure.message}; try again in ${failure.retryAfterSeconds} s`;
  }
  return failure.message;
}

export type ClaimResult =
  | { ok: true; data: ClaimResponse; applianceSecret: string; apiKey: string }
  /** `detail` (for a connection failure) and `status` (for an HTTP error) help diagnose; `error` is for people. */
  | { ok: false; error: string; detail?: string; status?: number };

export interface ClaimOptions extends RequestOptions {
  /** Defaults to getMacAddress(). */
  macAddress?: string;
  /** Defaults to getHostname(). */
  hostname?: string;
}

export function failureResult(failure: ApiFailure): ClaimResult & { ok: false } {
  const result: ClaimResult & { ok: false } = { ok: false, error: provisionErrorMessage(failure) };
  if (failure.kind === "network") result.detail = failure.detail;
  if (failure.kind === "http" || failure.kind === "invalid-response") result.status = failure.status;
  return result;
}

/**
 * Claims a provision code. A fresh root secret is generated first; the API key and the X25519 sealing
 * key are derived from it under distinct labels (crypto/appliance-key.ts), and the claim sends the API
 * key and the public key. On success the root secret is returned with the server's answer and must be
 * what config.yaml keeps (both keys are re-derived from it; nothing else is stored).
 */
export async function claimProvisionCode(
  code: string,
  apiEndpoint: string,
  opts: ClaimOptions = {},
): Promise<ClaimResult> {
  const normalized = normalizeProvisionCode(code);
  if (!normalized.ok) return { ok: false, error: normalized.error };
  const applianceSecret = generateRootSecret();
  const { apiKey, keyPair } = deriveApplianceKeys(applianceSecret);
  const result = await callApi(
    ENDPOINTS.claim,
    {
      provision_code: normalized.code,
      mac_address: opts.macAddress ?? getMacAddress(),
      hostname: opts.hostname ?? getHostname(),
      api_key: apiKey,
      public_key: keyPair.publicKeyBase64,
    },
    { apiEndpoint, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: opts.signal },
  );
  if (!result.ok) return failureResult(result.failure);
  return { ok: true, data: result.data, applianceSecret, apiKey };
}
