/**
 * First-boot provisioning, TypeScript counterpart of the seed's compliance_agent/provisioning.py, with
 * the same functions, screens and error texts (see shared/seed/appliance-provisioning.md).
 *
 * One provisioning run: claim, write config.yaml, report "configuring"; and the non-interactive
 * command (--provision) around it. The interactive one is provisioning-cli.ts.
 */
import path from "node:path";
import type { Writable } from "node:stream";
import type { ClaimResponse } from "../../../server/contracts";
import { describeFailure } from "../central-command/api-failure";
import { callApi, DEFAULT_TIMEOUT_MS } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import { createConfig } from "../config/config-file";
import { checkStateDirWritable, DEFAULT_STATE_DIR } from "../config/state-dir";
import { getHostname, getMacAddress } from "../system/system-info";
import { claimProvisionCode } from "./claim-provision-code";
import { normalizeProvisionCode } from "./provision-code";

export const RULE = "=".repeat(60);

/** How long the best-effort "configuring" status report may take before provisioning carries on. */
const STATUS_REPORT_TIMEOUT_MS = 10_000;

export interface ProvisionOptions {
  apiEndpoint: string;
  /** Where config.yaml goes; /var/lib/msp by default. */
  stateDir?: string;
  /** Screens go here; process.stdout by default. */
  output?: Writable;
  /** "Provisioning failed: …" and warnings go here; `output` by default. */
  errorOutput?: Writable;
  macAddress?: string;
  hostname?: string;
  /** Per claim request; 30 s by default. */
  timeoutMs?: number;
}

export type ProvisionOutcome =
  | { ok: true; configPath: string; data: ClaimResponse }
  | { ok: false; error: string; detail?: string };

export interface Identity {
  macAddress: string;
  hostname: string;
}

export function identityOf(opts: ProvisionOptions): Identity {
  return { macAddress: opts.macAddress ?? getMacAddress(), hostname: opts.hostname ?? getHostname() };
}

/** Claim, write config.yaml, then report "configuring" (best effort). */
export async function provision(
  code: string,
  opts: ProvisionOptions,
  identity: Identity,
  warn: (line: string) => void,
): Promise<ProvisionOutcome> {
  const stateDir = path.resolve(opts.stateDir ?? DEFAULT_STATE_DIR);
  try {
    // A claimed code cannot be claimed twice: make sure the config can be written before claiming.
    checkStateDirWritable(stateDir);
  } catch (err) {
    return { ok: false, error: `Cannot write the configuration to ${stateDir}: ${(err as Error).message}` };
  }

  const claim = await claimProvisionCode(code, opts.apiEndpoint, {
    macAddress: identity.macAddress,
    hostname: identity.hostname,
    timeoutMs: opts.timeoutMs,
  });
  if (!claim.ok) return claim.detail === undefined ? { ok: false, error: claim.error } : claim;

  const { data, apiKey, applianceSecret } = claim;
  let configPath: string;
  try {
    configPath = createConfig({
      siteId: data.site_id,
      applianceId: data.appliance_id,
      applianceSecret,
      partnerInfo: data.partner,
      apiEndpoint: data.api_endpoint,
      stateDir,
      macAddress: identity.macAddress,
      hostname: identity.hostname,
    });
  } catch (err) {
    return {
      ok: false,
      error: `The code was claimed but the configuration could not be written: ${(err as Error).message}`,
    };
  }

  const status = await callApi(
    ENDPOINTS.provisionStatus,
    { appliance_id: data.appliance_id, status: "configuring", progress: 50, message: "Configuration written" },
    {
      apiEndpoint: data.api_endpoint,
      apiKey,
      timeoutMs: Math.min(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, STATUS_REPORT_TIMEOUT_MS),
    },
  );
  if (!status.ok) warn(`Warning: could not report provisioning status: ${describeFailure(status.failure)}`);

  return { ok: true, configPath, data };
}

export function completionScreen(outcome: ProvisionOutcome & { ok: true }): string {
  return [
    "",
    RULE,
    "  Provisioning Complete!",
    RULE,
    "",
    `Site ID:     ${outcome.data.site_id}`,
    `Partner:     ${outcome.data.partner.brand_name}`,
    `Config:      ${outcome.configPath}`,
    "",
    "The agent will now restart in normal operation mode.",
    "",
  ].join("\n");
}

export function failureLines(outcome: ProvisionOutcome & { ok: false }): string {
  const detail = outcome.detail === undefined ? "" : `  (${outcome.detail})\n`;
  return `Provisioning failed: ${outcome.error}\n${detail}`;
}

/** Non-interactive provisioning with a code (--provision). Prints the completion screen or the error. */
export async function runProvisioningAuto(code: string, opts: ProvisionOptions): Promise<boolean> {
  const output = opts.output ?? process.stdout;
  const errorOutput = opts.errorOutput ?? output;
  const normalized = normalizeProvisionCode(code);
  if (!normalized.ok) {
    errorOutput.write(`Provisioning failed: ${normalized.error}\n`);
    return false;
  }
  output.write("Provisioning...\n");
  const outcome = await provision(normalized.code, opts, identityOf(opts), (line) => errorOutput.write(`${line}\n`));
  if (!outcome.ok) {
    errorOutput.write(failureLines(outcome));
    return false;
  }
  output.write(completionScreen(outcome));
  return true;
}
