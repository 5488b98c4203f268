/**
 * The osiris-appliance command line: argument parsing and dispatch. main.ts runs it.
 *
 * Exit codes: 0 success, 1 provisioning or operation failure, 2 usage error.
 */
import { readFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import { apiUrl } from "../central-command/call-api";
import { ConfigError, needsProvisioning, readConfig } from "../config/config-file";
import { parseApplianceEnv } from "../config/env";
import { DEFAULT_STATE_DIR } from "../config/state-dir";
import { runCheckinDaemon } from "../daemon/checkin-daemon";
import { runProvisioningAuto } from "../provisioning/provision";
import { normalizeProvisionCode } from "../provisioning/provision-code";
import { runProvisioningCli } from "../provisioning/provisioning-cli";

export const DEFAULT_API_ENDPOINT = "http://127.0.0.1:3000";

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export const USAGE = `Usage: osiris-appliance [options] [run]

OsirisCare appliance. With no command or provisioning option it provisions interactively when
there is no config.yaml yet, then starts the check-in daemon.

Commands:
  run                        Start the check-in daemon. Fails when the appliance is not provisioned.

Provisioning (each provisions and exits):
  --provision CODE           Claim CODE (16 characters; lower case, spaces and dashes are accepted).
  --provision -              Read the code from standard input.
  --provision-file PATH      Read the code from a file (keeps it out of the process list).
  --provision-interactive    Prompt for the code.

Options:
  --api-endpoint URL         Central Command to provision with (env OSIRIS_API_ENDPOINT; default
                             ${DEFAULT_API_ENDPOINT}). Once provisioned, the daemon uses the api_endpoint
                             that Central Command returned, stored in config.yaml.
  --state-dir DIR            Where config.yaml is kept (env OSIRIS_STATE_DIR; default ${DEFAULT_STATE_DIR}).
  -h, --help                 Show this help.

Environment:
  OSIRIS_POLL_INTERVAL_S     Check-in interval in seconds, overriding poll_interval of config.yaml and
                             of Central Command's answers (for tests; ±10 % jitter still applies).
  OSIRIS_HTTP_TIMEOUT_S      Seconds to wait for an answer from Central Command (default 30).

Exit status: 0 success, 1 provisioning or operation failure, 2 usage error.
`;

export type CodeSource = { from: "argument"; code: string } | { from: "file"; path: string } | { from: "stdin" };

interface Common {
  apiEndpoint: string;
  stateDir: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
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

const MAX_CODE_INPUT_BYTES = 4096;

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_CODE_INPUT_BYTES) throw new UsageError("standard input is too long for a provision code");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The code from its source, normalised; UsageError when it is missing or malformed. */
async function readCode(source: CodeSource, stdin: Readable): Promise<string> {
  let text: string;
  let origin: string;
  switch (source.from) {
    case "argument":
      text = source.code;
      origin = "--provision";
      break;
    case "file":
      origin = `--provision-file ${source.path}`;
      try {
        text = readFileSync(source.path, "utf8");
      } catch (err) {
        throw new UsageError(`${origin}: ${(err as Error).message}`);
      }
      break;
    case "stdin":
      origin = "--provision - (standard input)";
      text = await readAll(stdin);
      break;
  }
  const normalized = normalizeProvisionCode(text);
  if (!normalized.ok) throw new UsageError(`${origin}: ${normalized.error}`);
  return normalized.code;
}

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /**
   * Called when the check-in daemon starts; the signal it returns stops it (main.ts aborts it on
   * SIGTERM/SIGINT, which keep their default effect until then).
   */
  stopSignal?: () => AbortSignal;
}

async function startCheckinDaemon(cmd: Common, io: CliIo): Promise<number> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(cmd.stateDir);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      if (needsProvisioning(cmd.stateDir)) {
        io.stderr.write("Provision it first: osiris-appliance --provision CODE (or --provision-interactive)\n");
      }
      return EXIT.failure;
    }
    throw err;
  }
  await runCheckinDaemon(config, {
    signal: io.stopSignal?.(),
    pollIntervalMs: cmd.pollIntervalMs,
    timeoutMs: cmd.timeoutMs,
    log: (line) => io.stdout.write(`${line}\n`),
  });
  return EXIT.ok;
}

function provisionInteractively(cmd: Common, io: CliIo): Promise<boolean> {
  return runProvisioningCli({
    apiEndpoint: cmd.apiEndpoint,
    stateDir: cmd.stateDir,
    timeoutMs: cmd.timeoutMs,
    input: io.stdin,
    output: io.stdout,
    errorOutput: io.stderr,
  });
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseCliArgs(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`osiris-appliance: ${err.message}\nRun "osiris-appliance --help" for usage.\n`);
    return EXIT.usage;
  }

  switch (cmd.kind) {
    case "help":
      io.stdout.write(USAGE);
      return EXIT.ok;

    case "provision": {
      let code: string;
      try {
        code = await readCode(cmd.source, io.stdin);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        io.stderr.write(`osiris-appliance: ${err.message}\n`);
        return EXIT.usage;
      }
      const ok = await runProvisioningAuto(code, {
        apiEndpoint: cmd.apiEndpoint,
        stateDir: cmd.stateDir,
        timeoutMs: cmd.timeoutMs,
        output: io.stdout,
        errorOutput: io.stderr,
      });
      return ok ? EXIT.ok : EXIT.failure;
    }

    case "provision-interactive":
      return (await provisionInteractively(cmd, io)) ? EXIT.ok : EXIT.failure;

    case "auto": {
      if (needsProvisioning(cmd.stateDir)) {
        if (!(await provisionInteractively(cmd, io))) return EXIT.failure;
        io.stdout.write("Provisioning complete. Starting agent...\n");
      }
      return startCheckinDaemon(cmd, io);
    }

    case "run":
      return startCheckinDaemon(cmd, io);
  }
}
