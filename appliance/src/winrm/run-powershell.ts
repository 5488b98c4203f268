/**
 * Runs one PowerShell script on one Windows host over WinRM and returns its output: the public API of the WinRM
 * client. One keep-alive, NTLM-authenticated connection for the whole exchange (Create shell, Command, [Send],
 * Receive until Done, Signal terminate, Delete), all within `timeoutMs`. Failures are WinRmErrors whose message
 * names the host and what to check; the password never appears in them.
 */
import { WinRmConnection } from "./http/winrm-connection.ts";
import { describeNetworkError, WinRmError } from "./http/winrm-error.ts";
import { readableStderr } from "./wsman/clixml.ts";
import {
  createShell,
  deleteShell,
  type Envelope,
  receiveOutput,
  runCommand,
  type ShellTarget,
  sendInput,
  signalTerminate,
} from "./wsman/envelopes.ts";
import { powershellCommand } from "./wsman/powershell.ts";
import { isTimedOutFault, readCommandId, readFault, readReceive, readRelatesTo, readShellId } from "./wsman/replies.ts";

export type RunPowerShellOptions = {
  host: string;
  port: number;
  https: boolean;
  username: string;
  password: string;
  script: string;
  timeoutMs: number;
  /** PEM to trust for the host's HTTPS certificate (self-signed listeners). */
  ca?: string | Buffer;
  /** Cancels the run (e.g. the appliance is stopping); the time limit applies either way. */
  signal?: AbortSignal;
  /** WS-Man OperationTimeout of each Receive, seconds (how long the host holds a Receive without output). */
  operationTimeoutS?: number;
};

export type PowerShellResult = { stdout: string; stderr: string; exitCode: number };

export async function runPowerShell(o: RunPowerShellOptions): Promise<PowerShellResult> {
  const limit = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, limit]) : limit;
  const where = `${o.host}:${o.port}`;
  const connection = new WinRmConnection({ host: o.host, port: o.port, https: o.https, ca: o.ca }, o, signal);
  const target: ShellTarget = {
    to: `${o.https ? "https" : "http"}://${o.host.includes(":") ? `[${o.host}]` : o.host}:${o.port}/wsman`,
    operationTimeoutS: o.operationTimeoutS ?? 20,
  };
  const call = async (env: Envelope): Promise<string> => {
    const reply = await connection.post(env.xml);
    const fault = readFault(reply.body);
    if (fault) throw new WsmanFaultError(fault);
    if (reply.status !== 200) throw new WinRmError("protocol", `${where}: HTTP ${reply.status} without a WS-Man fault`);
    const relatesTo = readRelatesTo(reply.body);
    if (relatesTo && relatesTo.toUpperCase() !== env.messageId.toUpperCase()) {
      throw new WinRmError("protocol", `${where}: a reply did not answer the request it came for`);
    }
    return reply.body;
  };

  let shellId: string | undefined;
  try {
    shellId = readShellId(await call(createShell(target)));
    if (!shellId) throw new WinRmError("protocol", `${where}: the host created a shell without an id`);
    const cmd = powershellCommand(o.script);
    const commandId = readCommandId(await call(runCommand(target, shellId, cmd.command, cmd.args)));
    if (!commandId) throw new WinRmError("protocol", `${where}: the host started a command without an id`);
    if (cmd.stdin) await call(sendInput(target, shellId, commandId, cmd.stdin, true));

    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let exitCode: number | null = null;
    for (;;) {
      let body: string;
      try {
        body = await call(receiveOutput(target, shellId, commandId));
      } catch (err) {
        if (err instanceof WsmanFaultError && isTimedOutFault(err.fault)) continue; // no output yet
        throw err;
      }
      const chunk = readReceive(body, commandId);
      stdout.push(chunk.stdout);
      stderr.push(chunk.stderr);
      if (chunk.done) {
        exitCode = chunk.exitCode;
        break;
      }
    }
    await call(signalTerminate(target, shellId, commandId)).catch(() => {});
    return {
      stdout: Buffer.concat(stdout).toString("utf8"),
      stderr: readableStderr(Buffer.concat(stderr).toString("utf8")),
      exitCode: exitCode ?? -1,
    };
  } catch (err) {
    if (err instanceof WsmanFaultError) {
      throw new WinRmError("fault", `${where}: ${err.fault.message}${err.fault.code ? ` (${err.fault.code})` : ""}`);
    }
    if (o.signal?.aborted && !limit.aborted) throw new WinRmError("timeout", `${where}: the run was cancelled`);
    throw describeNetworkError(err, where);
  } finally {
    if (shellId && !signal.aborted) await call(deleteShell(target, shellId)).catch(() => {});
    connection.close();
  }
}

class WsmanFaultError extends Error {
  constructor(readonly fault: NonNullable<ReturnType<typeof readFault>>) {
    super(fault.message);
  }
}
