/** Command line and OSIRIS_* environment → the one command to run. Throws UsageError (exit 2). */
import { parseArgs } from "node:util";
import { apiUrl } from "../central-command/call-api";
import { parseApplianceEnv } from "../config/env";
import { DEFAULT_STATE_DIR } from "../config/state-dir";
import { DEFAULT_API_ENDPOINT } from "./usage";

export type CodeSource = { from: "argument"; code: string } | { from: "file"; path: string } | { from: "stdin" };

export interface Common {
  apiEndpoint: string;
  stateDir: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
  /** OSIRIS_DNS_SERVERS: DNS for domain discovery and DC names. */
  dnsServers?: string[];
  /** OSIRIS_AD_ENUMERATION_BUDGET_S, in ms. */
  enumerationBudgetMs?: number;
  /** OSIRIS_SCAN_CONCURRENCY: Windows servers scanned at once. */
  scanConcurrency?: number;
  /** OSIRIS_SCAN_HOST_TIMEOUT_S, in ms. */
  scanHostTimeoutMs?: number;
}

export type Command =
  | { kind: "help" }
  | ({ kind: "provision"; source: CodeSource } & Common)
  | ({ kind: "provision-interactive" } & Common)
  /** No command: provision interactively if needed, then run the check-in daemon. */
  | ({ kind: "auto" } & Common)
  | ({ kind: "run" } & Common);

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function checkEndpoint(value: string, origin: string): string {
  try {
    apiUrl(value, "/");
  } catch {
    throw new UsageError(`${origin} must be an http:// or https:// URL, got "${value}"`);
  }
  return value;
}

const OPTIONS = {
  provision: { type: "string" },
  "provision-file": { type: "string" },
  "provision-interactive": { type: "boolean" },
  "api-endpoint": { type: "string" },
  "state-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseArgv(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

/** Parses argv (without node and the script) and the environment. Throws UsageError. */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  let parsed: ReturnType<typeof parseArgv>;
  try {
    parsed = parseArgv(argv);
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`unknown option ${unknown[1]}`);
    const noValue = /^Option '(--[\w-]+)[^']*' argument (missing|is ambiguous)/.exec(message);
    if (noValue) throw new UsageError(`${noValue[1]} needs a value`);
    throw new UsageError(message.split("\n")[0] ?? "invalid arguments");
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };

  const modes = [
    values.provision !== undefined && "--provision",
    values["provision-file"] !== undefined && "--provision-file",
    values["provision-interactive"] && "--provision-interactive",
    positionals.length > 0 && positionals[0] === "run" && "run",
  ].filter((m): m is string => typeof m === "string");
  if (modes.length > 1) throw new UsageError(`${modes.join(" and ")} cannot be used together`);

  const [command, ...extra] = positionals;
  if (command !== undefined && command !== "run") throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const flagEndpoint = values["api-endpoint"];
  if (flagEndpoint !== undefined) checkEndpoint(flagEndpoint, "--api-endpoint");
  if (values["state-dir"] === "") throw new UsageError("--state-dir must not be empty");
  const osiris = parseApplianceEnv(env);
  if (!osiris.ok) throw new UsageError(osiris.error);
  const common: Common = {
    apiEndpoint: flagEndpoint ?? osiris.env.OSIRIS_API_ENDPOINT ?? DEFAULT_API_ENDPOINT,
    stateDir: values["state-dir"] ?? osiris.env.OSIRIS_STATE_DIR ?? DEFAULT_STATE_DIR,
  };
  if (osiris.env.OSIRIS_HTTP_TIMEOUT_S !== undefined) common.timeoutMs = osiris.env.OSIRIS_HTTP_TIMEOUT_S;
  if (osiris.env.OSIRIS_POLL_INTERVAL_S !== undefined) common.pollIntervalMs = osiris.env.OSIRIS_POLL_INTERVAL_S;
  if (osiris.env.OSIRIS_DNS_SERVERS !== undefined) common.dnsServers = osiris.env.OSIRIS_DNS_SERVERS;
  if (osiris.env.OSIRIS_AD_ENUMERATION_BUDGET_S !== undefined) {
    common.enumerationBudgetMs = osiris.env.OSIRIS_AD_ENUMERATION_BUDGET_S;
  }
  if (osiris.env.OSIRIS_SCAN_CONCURRENCY !== undefined) common.scanConcurrency = osiris.env.OSIRIS_SCAN_CONCURRENCY;
  if (osiris.env.OSIRIS_SCAN_HOST_TIMEOUT_S !== undefined) {
    common.scanHostTimeoutMs = osiris.env.OSIRIS_SCAN_HOST_TIMEOUT_S;
  }

  if (values.provision !== undefined) {
    if (values.provision === "-") return { kind: "provision", source: { from: "stdin" }, ...common };
    return { kind: "provision", source: { from: "argument", code: values.provision }, ...common };
  }
  if (values["provision-file"] !== undefined) {
    if (values["provision-file"] === "") throw new UsageError("--provision-file needs a path");
    return { kind: "provision", source: { from: "file", path: values["provision-file"] }, ...common };
  }
  if (values["provision-interactive"]) return { kind: "provision-interactive", ...common };
  if (command === "run") return { kind: "run", ...common };
  return { kind: "auto", ...common };
}
