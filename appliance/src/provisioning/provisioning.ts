/**
 * First-boot provisioning: claim a provision code from Central Command and write config.yaml.
 *
 * TypeScript counterpart of the seed's compliance_agent/provisioning.py, with the same functions,
 * screens and error texts (see ../shared/seed/appliance-provisioning.md).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { type ClaimResponse, PROVISION_CODE_LENGTH, type ValidateResponse } from "../../../server/contracts";
import { type ApiFailure, describeFailure } from "../central-command/api-failure";
import { callApi, DEFAULT_TIMEOUT_MS, type RequestOptions } from "../central-command/call-api";
import { ENDPOINTS } from "../central-command/endpoints";
import { createConfig } from "../config/config-file";
import { checkStateDirWritable, DEFAULT_STATE_DIR } from "../config/state-dir";
import { deriveApplianceKeyPair } from "../crypto/appliance-key";
import { getHostname, getMacAddress } from "../system/system-info";

export { needsProvisioning } from "../config/config-file";

export const RULE = "=".repeat(60);

/** How long the best-effort "configuring" status report may take before provisioning carries on. */
const STATUS_REPORT_TIMEOUT_MS = 10_000;

/** 32 characters of [A-Za-z0-9_-] from the CSPRNG (24 random bytes, base64url). */
export function generateApiKey(): string {
  return randomBytes(24).toString("base64url");
}

export type NormalizedCode = { ok: true; code: string } | { ok: false; error: string };

/** Upper-cases a typed code and drops spaces and dashes ("abcd-1234 efgh-5678" → "ABCD1234EFGH5678"). */
export function normalizeProvisionCode(input: string): NormalizedCode {
  const code = input.replace(/[\s-]+/g, "").toUpperCase();
  if (code.length === 0) return { ok: false, error: "No provision code entered" };
  if (!/^[A-Z0-9]*$/.test(code)) {
    return { ok: false, error: "A provision code contains only letters A-Z and digits 0-9" };
  }
  if (code.length !== PROVISION_CODE_LENGTH) {
    return {
      ok: false,
      error: `A provision code has ${PROVISION_CODE_LENGTH} characters; that one has ${code.length}`,
    };
  }
  return { ok: true, code };
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

function failureResult(failure: ApiFailure): ClaimResult & { ok: false } {
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

export type ValidateResult = { ok: true; data: ValidateResponse } | { ok: false; error: string; detail?: string };

/** Checks a code without claiming it (the partner's brand name and colour, and when it expires). */
export async function validateProvisionCode(
  code: string,
  apiEndpoint: string,
  opts: RequestOptions = {},
): Promise<ValidateResult> {
  const normalized = normalizeProvisionCode(code);
  if (!normalized.ok) return { ok: false, error: normalized.error };
  const result = await callApi(ENDPOINTS.validate, { code: normalized.code }, { ...opts, apiEndpoint });
  if (!result.ok) {
    const { error, detail } = failureResult(result.failure);
    return detail === undefined ? { ok: false, error } : { ok: false, error, detail };
  }
  return { ok: true, data: result.data };
}

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

type ProvisionOutcome =
  | { ok: true; configPath: string; data: ClaimResponse }
  | { ok: false; error: string; detail?: string };

interface Identity {
  macAddress: string;
  hostname: string;
}

function identityOf(opts: ProvisionOptions): Identity {
  return { macAddress: opts.macAddress ?? getMacAddress(), hostname: opts.hostname ?? getHostname() };
}

/** Claim, write config.yaml, then report "configuring" (best effort). */
async function provision(
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

  const { data, apiKey } = claim;
  let configPath: string;
  try {
    configPath = createConfig({
      siteId: data.site_id,
      applianceId: data.appliance_id,
      apiKey,
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

function completionScreen(outcome: ProvisionOutcome & { ok: true }): string {
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

function failureLines(outcome: ProvisionOutcome & { ok: false }): string {
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

/** Lines from a readable stream, one at a time; null at end of input (or Ctrl-C / Ctrl-D on a terminal). */
class LineReader {
  private readonly rl: Interface;
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | undefined;
  private closed = false;
  readonly terminal: boolean;

  constructor(
    input: Readable,
    private readonly output: Writable,
  ) {
    this.terminal = Boolean((input as { isTTY?: boolean }).isTTY && (output as { isTTY?: boolean }).isTTY);
    this.rl = createInterface({ input, output, terminal: this.terminal });
    this.rl.on("line", (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      } else {
        this.lines.push(line);
      }
    });
    this.rl.on("close", () => {
      this.closed = true;
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.(null);
    });
    this.rl.on("SIGINT", () => this.rl.close());
  }

  ask(prompt: string): Promise<string | null> {
    const queued = this.lines.shift();
    this.rl.setPrompt(prompt);
    if (this.closed) {
      // piped input that has already ended: the remaining lines are queued
      if (queued === undefined) return Promise.resolve(null);
      this.output.write(prompt);
      return Promise.resolve(queued);
    }
    this.rl.prompt();
    if (queued !== undefined) return Promise.resolve(queued); // typed (or piped) ahead
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.rl.close();
  }
}

export interface ProvisioningCliOptions extends ProvisionOptions {
  /** Where codes are typed; process.stdin by default. */
  input?: Readable;
  /** Server-side failures (wrong, expired or claimed code, no connection) before giving up. Default 5. */
  maxAttempts?: number;
}

/**
 * Interactive provisioning (the seed's screens). A malformed code is re-prompted without contacting the
 * server; after a failed claim another code may be entered, up to maxAttempts. End of input returns false.
 */
export async function runProvisioningCli(opts: ProvisioningCliOptions): Promise<boolean> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const errorOutput = opts.errorOutput ?? output;
  const maxAttempts = opts.maxAttempts ?? 5;
  const identity = identityOf(opts);

  output.write(
    [
      RULE,
      "  OsirisCare Appliance Provisioning",
      RULE,
      "",
      `MAC Address: ${identity.macAddress}`,
      `Hostname:    ${identity.hostname}`,
      "",
      "Enter your provision code (from partner dashboard):",
      `Format: ${"X".repeat(PROVISION_CODE_LENGTH)} (${PROVISION_CODE_LENGTH} characters)`,
      "",
      "",
    ].join("\n"),
  );

  const reader = new LineReader(input, output);
  try {
    let attempts = 0;
    for (;;) {
      const line = await reader.ask("Provision Code: ");
      if (line === null) {
        output.write("\n\nNo provision code entered; provisioning cancelled.\n");
        return false;
      }
      if (!reader.terminal) output.write("\n"); // piped input is not echoed: end the prompt line
      const normalized = normalizeProvisionCode(line);
      if (!normalized.ok) {
        output.write(`${normalized.error}. Please try again.\n\n`);
        continue;
      }

      output.write("\nProvisioning...\n");
      const outcome = await provision(normalized.code, opts, identity, (warning) => errorOutput.write(`${warning}\n`));
      if (outcome.ok) {
        output.write(completionScreen(outcome));
        return true;
      }
      output.write("\n");
      errorOutput.write(failureLines(outcome));
      attempts += 1;
      if (attempts >= maxAttempts) return false;
      output.write("\nEnter another provision code, or press Ctrl-D to cancel.\n\n");
    }
  } finally {
    reader.close();
  }
}
