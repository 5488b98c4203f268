/**
 * The appliance's config.yaml: written once at provisioning, read at every start.
 *
 * The API key is the only secret in it. The state directory is 0700 and the file 0600, and the file is
 * written atomically (temporary file in the same directory, fsync, rename) so a power cut never leaves
 * a half-written config behind.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { Document, parse, Scalar } from "yaml";
import { z } from "zod";
import { ApplianceApiKey, MacAddress, PartnerInfo } from "../../../server/contracts";
import { describeIssues } from "../shared/describe-issues";

export const CONFIG_FILE_NAME = "config.yaml";
export const DEFAULT_STATE_DIR = "/var/lib/msp";
export const DEFAULT_POLL_INTERVAL_S = 60;

const STATE_DIR_MODE = 0o700;
const CONFIG_FILE_MODE = 0o600;

/** config.yaml as the agent reads it. Field order is the seed's. */
export const ApplianceConfig = z.object({
  site_id: z.string().min(1),
  appliance_id: z.string().min(1),
  api_key: ApplianceApiKey,
  api_endpoint: z.string().url(),
  poll_interval: z.number().int().positive(),
  enable_drift_detection: z.boolean(),
  enable_evidence_upload: z.boolean(),
  enable_l1_sync: z.boolean(),
  healing_enabled: z.boolean(),
  healing_dry_run: z.boolean(),
  state_dir: z.string().min(1),
  log_level: z.enum(["DEBUG", "INFO", "WARNING", "ERROR"]),
  partner: PartnerInfo,
  provisioned_at: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/, "must be an ISO 8601 time"),
  mac_address: MacAddress,
  hostname: z.string().min(1),
});
export type ApplianceConfig = z.infer<typeof ApplianceConfig>;

export interface CreateConfigParams {
  siteId: string;
  applianceId: string;
  apiKey: string;
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

/** Creates the state directory if needed and makes it 0700 (also when it already existed). */
export function ensureStateDir(stateDir: string): string {
  const dir = path.resolve(stateDir);
  mkdirSync(dir, { recursive: true, mode: STATE_DIR_MODE });
  chmodSync(dir, STATE_DIR_MODE);
  return dir;
}

/**
 * Checks, before a code is claimed, that the config can be written: a claimed code cannot be
 * claimed again, so failing after the claim would waste it. Throws with the reason.
 */
export function checkStateDirWritable(stateDir: string): void {
  const dir = ensureStateDir(stateDir);
  const probe = path.join(dir, `.write-test-${process.pid}-${randomBytes(4).toString("hex")}`);
  const fd = openSync(probe, "wx", CONFIG_FILE_MODE);
  closeSync(fd);
  rmSync(probe, { force: true });
}

/** The YAML text of a config, in the seed's field order, with primary_color double-quoted. */
export function renderConfig(config: ApplianceConfig): string {
  const ordered: ApplianceConfig = {
    site_id: config.site_id,
    appliance_id: config.appliance_id,
    api_key: config.api_key,
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

/** Writes `text` to `file` atomically with mode 0600. */
function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", CONFIG_FILE_MODE);
    chmodSync(tmp, CONFIG_FILE_MODE); // whatever the umask
    const data = Buffer.from(text, "utf8");
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dirFd = openSync(dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // directory fsync is best effort (not supported everywhere)
  }
}

/** Writes <stateDir>/config.yaml and returns its absolute path. */
export function createConfig(params: CreateConfigParams): string {
  const stateDir = path.resolve(params.stateDir);
  const parsed = ApplianceConfig.safeParse({
    site_id: params.siteId,
    appliance_id: params.applianceId,
    api_key: params.apiKey,
    api_endpoint: params.apiEndpoint,
    poll_interval: DEFAULT_POLL_INTERVAL_S,
    enable_drift_detection: true,
    enable_evidence_upload: true,
    enable_l1_sync: true,
    healing_enabled: true,
    healing_dry_run: false,
    state_dir: stateDir,
    log_level: "INFO",
    partner: params.partnerInfo,
    provisioned_at: formatProvisionedAt(params.now ?? new Date()),
    mac_address: params.macAddress,
    hostname: params.hostname,
  } satisfies z.input<typeof ApplianceConfig>);
  if (!parsed.success) {
    throw new ConfigError(`Refusing to write an invalid configuration: ${describeIssues(parsed.error, "(config)")}`);
  }
  const config = parsed.data;
  ensureStateDir(stateDir);
  const file = path.join(stateDir, CONFIG_FILE_NAME);
  writeFileAtomic(file, renderConfig(config));
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
