/**
 * Moves an appliance provisioned before key derivation v2 to it. Its old API key travelled as a bearer
 * token on every request and its sealing key was derived from that key, so anything that saw a request
 * header could open its passwords. It makes a fresh root secret, derives a new API key and sealing key
 * from it (crypto/appliance-key.ts), and registers both with POST /api/appliances/rekey, authenticated by
 * the old key, which stops working in the same transaction.
 *
 * Crash-safe: the new root is written to config.yaml (as pending_appliance_secret, 0600, atomic) before
 * the request. After a crash the pending root is tried first: if Central Command already took it (the
 * answer was lost), a heartbeat with the derived key succeeds and the move is committed; otherwise the
 * rekey is sent again with the old key. Until it succeeds the appliance keeps working with the old keys.
 */
import { describeFailure } from "../central-command/api-failure";
import { callApi } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import { type ApplianceConfig, writeConfig } from "../config/config-file";
import { deriveApplianceKeys, generateRootSecret } from "../crypto/appliance-key";

export type RekeyOutcome =
  | { status: "not-needed" | "rekeyed"; config: ApplianceConfig }
  | { status: "failed"; config: ApplianceConfig; reason: string };

type CallOptions = { timeoutMs: number; signal?: AbortSignal };

export async function upgradeApplianceKeys(config: ApplianceConfig, opts: CallOptions): Promise<RekeyOutcome> {
  if (config.appliance_secret !== undefined || config.api_key === undefined) return { status: "not-needed", config };
  const oldKey = config.api_key;
  let pendingConfig = config;
  if (config.pending_appliance_secret === undefined) {
    pendingConfig = { ...config, pending_appliance_secret: generateRootSecret() };
    writeConfig(pendingConfig);
  }
  const root = pendingConfig.pending_appliance_secret as string;
  const next = deriveApplianceKeys(root);
  const call = { apiEndpoint: config.api_endpoint, timeoutMs: opts.timeoutMs, signal: opts.signal };

  const rekey = await callApi(
    ENDPOINTS.rekey,
    { appliance_id: config.appliance_id, api_key: next.apiKey, public_key: next.keyPair.publicKeyBase64 },
    { ...call, apiKey: oldKey },
  );
  if (!rekey.ok) {
    // Refused (401 or 409): perhaps an earlier attempt was taken and its answer lost; the new key says so.
    const status = rekey.failure.kind === "http" ? rekey.failure.status : undefined;
    const taken =
      (status === 401 || status === 409) &&
      (await callApi(ENDPOINTS.heartbeat, { appliance_id: config.appliance_id }, { ...call, apiKey: next.apiKey })).ok;
    if (!taken) return { status: "failed", config: pendingConfig, reason: describeFailure(rekey.failure) };
  }
  const { api_key: _old, pending_appliance_secret: _pending, ...rest } = pendingConfig;
  const upgraded: ApplianceConfig = { ...rest, appliance_secret: root };
  writeConfig(upgraded);
  return { status: "rekeyed", config: upgraded };
}
