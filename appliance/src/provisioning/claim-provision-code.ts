/**
 * First-boot provisioning, TypeScript counterpart of the seed's compliance_agent/provisioning.py, with
 * the same functions, screens and error texts (see shared/seed/appliance-provisioning.md).
 *
 * Claiming: swap a provision code for this appliance's identity (site, appliance id, the API key it
 * generated) without writing anything; provision.ts writes config.yaml.
 */
import { randomBytes } from "node:crypto";
import type { ClaimResponse } from "../../../server/contracts";
import type { ApiFailure } from "../central-command/api-failure";
import { callApi, DEFAULT_TIMEOUT_MS, type RequestOptions } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import { deriveApplianceKeyPair } from "../crypto/appliance-key";
import { getHostname, getMacAddress } from "../system/system-info";
import { normalizeProvisionCode } from "./provision-code";

/** 32 characters of [A-Za-z0-9_-] from the CSPRNG (24 random bytes, base64url). */
export function generateApiKey(): string {
  return randomBytes(24).toString("base64url");
}

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
  | { ok: true; data: ClaimResponse; apiKey: string }
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
 * Claims a provision code. A fresh API key is generated first and sent with the claim, together with
 * the X25519 public key derived from it (public_key), so Central Command can seal the Windows
 * passwords it hands out at check-in. On success the key is returned with the server's answer and
 * must be the key written to config.yaml (the key pair is re-derived from it; nothing else is stored).
 */
export async function claimProvisionCode(
  code: string,
  apiEndpoint: string,
  opts: ClaimOptions = {},
): Promise<ClaimResult> {
  const normalized = normalizeProvisionCode(code);
  if (!normalized.ok) return { ok: false, error: normalized.error };
  const apiKey = generateApiKey();
  const { publicKeyBase64 } = deriveApplianceKeyPair(apiKey);
  const result = await callApi(
    ENDPOINTS.claim,
    {
      provision_code: normalized.code,
      mac_address: opts.macAddress ?? getMacAddress(),
      hostname: opts.hostname ?? getHostname(),
      api_key: apiKey,
      public_key: publicKeyBase64,
    },
    { apiEndpoint, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: opts.signal },
  );
  if (!result.ok) return failureResult(result.failure);
  return { ok: true, data: result.data, apiKey };
}
