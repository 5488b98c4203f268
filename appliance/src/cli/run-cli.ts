/**
 * The osiris-appliance command line: dispatch of the parsed command (parse-args.ts). main.ts runs it.
 *
 * Exit codes: 0 success, 1 provisioning or operation failure, 2 usage error.
 */
import type { Readable, Writable } from "node:stream";
import { winrmRunScript } from "../compliance/scan/winrm-run-script";
import { ConfigError, needsProvisioning, readConfig } from "../config/config-file";
import { type CheckinDaemonOptions, runCheckinDaemon } from "../daemon/checkin-daemon";
import { runProvisioningAuto } from "../provisioning/provision";
import { runProvisioningCli } from "../provisioning/provisioning-cli";
import { type Command, type Common, parseCliArgs, UsageError } from "./parse-args";
import { readCode } from "./read-code";
import { EXIT, USAGE } from "./usage";

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

/** The daemon's options from the command line and OSIRIS_* environment (exported for the end-to-end test). */
export function checkinDaemonOptions(cmd: Common, io: Pick<CliIo, "stdout" | "stopSignal">): CheckinDaemonOptions {
  return {
    signal: io.stopSignal?.(),
    pollIntervalMs: cmd.pollIntervalMs,
    timeoutMs: cmd.timeoutMs,
    log: (line) => io.stdout.write(`${line}\n`),
    directory: {
      stateDir: cmd.stateDir,
      ...(cmd.dnsServers ? { dnsServers: cmd.dnsServers } : {}),
      ...(cmd.enumerationBudgetMs ? { enumerationBudgetMs: cmd.enumerationBudgetMs } : {}),
    },
    // Scans over the appliance's WinRM client; the daemon journals their results in its outbox (scan-results).
    compliance: {
      runScript: winrmRunScript,
      ...(cmd.scanConcurrency ? { concurrency: cmd.scanConcurrency } : {}),
      ...(cmd.scanHostTimeoutMs ? { hostTimeoutMs: cmd.scanHostTimeoutMs } : {}),
    },
  };
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
  await runCheckinDaemon(config, checkinDaemonOptions(cmd, io));
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
      // --provision only provisions: under systemd the unit starts the daemon again; by hand, say how.
      if (ok) io.stdout.write(`To run it now: osiris-appliance run --state-dir ${cmd.stateDir}\n`);
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
