/**
 * The appliance's config.yaml: written once at provisioning, read at every start. Its schema and the
 * settings' defaults are server/contracts' ApplianceConfigFile and APPLIANCE_SETTING_DEFAULTS, shared
 * with Central Command's GET /api/provision/config.
 *
 * Its one secret is appliance_secret (api_key on appliances provisioned before key derivation v2). The state directory is 0700 and the file 0600, and the file is
 * written atomically (write-file-atomic.ts) so a power cut never leaves a half-written config behind.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Document, parse, Scalar } from "yaml";
import type { z } from "zod";
import { APPLIANCE_SETTING_DEFAULTS, ApplianceConfigFile, type PartnerInfo } from "../../../server/contracts";
import { describeIssues } from "../shared/describe-issues";
import { DEFAULT_STATE_DIR, ensureStateDir } from "./state-dir";
import { writeFileAtomic } from "./write-file-atomic";

export const CONFIG_FILE_NAME = "config.yaml";

/** config.yaml as the appliance reads it. */
export const ApplianceConfig = ApplianceConfigFile;
export type ApplianceConfig = ApplianceConfigFile;

export interface CreateConfigParams {
  siteId: string;
  applianceId: string;
  /** The root secret (key derivation v2); the API key and sealing key are derived from it. */
  applianceSecret: string;
  partnerInfo: PartnerInfo;
  apiEndpoint: string;
  stateDir: string;
  macAddress: string;
  hostname: string;
  /** Time of provisioning; now by default. */
  now?: Date;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function configPath(stateDir: string): string {
  return path.join(path.resolve(stateDir), CONFIG_FILE_NAME);
}

/** True when the appliance has no config.yaml yet. */
export function needsProvisioning(stateDir: string = DEFAULT_STATE_DIR): boolean {
  return !existsSync(configPath(stateDir));
}

/** UTC with an explicit offset and whole seconds: 2026-01-04T15:30:00+00:00. */
export function formatProvisionedAt(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** The YAML text of a config, in the seed's field order, with primary_color double-quoted. */
export function renderConfig(config: ApplianceConfig): string {
  const ordered: ApplianceConfig = {
    site_id: config.site_id,
    appliance_id: config.appliance_id,
    ...(config.appliance_secret !== undefined ? { appliance_secret: config.appliance_secret } : {}),
    ...(config.api_key !== undefined ? { api_key: config.api_key } : {}),
    ...(config.pending_appliance_secret !== undefined
      ? { pending_appliance_secret: config.pending_appliance_secret }
      : {}),
    api_endpoint: config.api_endpoint,
    poll_interval: config.poll_interval,
    enable_drift_detection: config.enable_drift_detection,
    enable_evidence_upload: config.enable_evidence_upload,
    enable_l1_sync: config.enable_l1_sync,
    healing_enabled: config.healing_enabled,
    healing_dry_run: config.healing_dry_run,
    state_dir: config.state_dir,
    log_level: config.log_level,
    partner: {
      slug: config.partner.slug,
      brand_name: config.partner.brand_name,
      primary_color: config.partner.primary_color,
    },
    provisioned_at: config.provisioned_at,
    mac_address: config.mac_address,
    hostname: config.hostname,
  };
  const doc = new Document(ordered);
  const color = doc.getIn(["partner", "primary_color"], true);
  if (color instanceof Scalar) color.type = Scalar.QUOTE_DOUBLE;
  return doc.toString({ lineWidth: 0 });
}

/** Writes <stateDir>/config.yaml with the default settings and returns its absolute path. */
export function createConfig(params: CreateConfigParams): string {
  const stateDir = path.resolve(params.stateDir);
  const parsed = ApplianceConfig.safeParse({
    ...APPLIANCE_SETTING_DEFAULTS,
    site_id: params.siteId,
    appliance_id: params.applianceId,
    appliance_secret: params.applianceSecret,
    api_endpoint: params.apiEndpoint,
    state_dir: stateDir,
    partner: params.partnerInfo,
    provisioned_at: formatProvisionedAt(params.now ?? new Date()),
    mac_address: params.macAddress,
    hostname: params.hostname,
  } satisfies z.input<typeof ApplianceConfig>);
  if (!parsed.success) {
    throw new ConfigError(`Refusing to write an invalid configuration: ${describeIssues(parsed.error, "(config)")}`);
  }
  ensureStateDir(stateDir);
  const file = path.join(stateDir, CONFIG_FILE_NAME);
  writeFileAtomic(file, renderConfig(parsed.data));
  return file;
}

/** Reads and validates <stateDir>/config.yaml. Throws ConfigError with a message a person can act on. */
export function readConfig(stateDir: string = DEFAULT_STATE_DIR): ApplianceConfig {
  const file = configPath(stateDir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError(`No configuration at ${file}: the appliance is not provisioned`);
    throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const parsed = ApplianceConfig.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`${file} is not a valid appliance configuration: ${describeIssues(parsed.error, "(file)")}`);
  }
  return parsed.data;
}

/** Replaces config.yaml (validated, atomically, 0600) with `config`; used when the appliance rekeys. */
export function writeConfig(config: ApplianceConfig): void {
  const parsed = ApplianceConfig.safeParse(config);
  if (!parsed.success) {
    throw new ConfigError(`Refusing to write an invalid configuration: ${describeIssues(parsed.error, "(config)")}`);
  }
  ensureStateDir(config.state_dir);
  writeFileAtomic(configPath(config.state_dir), renderConfig(parsed.data));
}
