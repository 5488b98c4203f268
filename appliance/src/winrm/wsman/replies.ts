/** Reading WS-Man replies: faults, the ids Create and Command return, and Receive's streams and exit code. */
import { COMMAND_STATE_DONE, FAULT_TIMED_OUT } from "./namespaces.ts";
import { elements, firstText } from "./xml.ts";

export type WsmanFault = { code: string | undefined; subcode: string | undefined; message: string };

export function readFault(xml: string): WsmanFault | null {
  if (elements(xml, "Fault").length === 0) return null;
  const wsmanFault = elements(xml, "WSManFault")[0];
  const values = elements(xml, "Value").map((v) => v.text.trim());
  const message =
    firstText(xml, "Message")?.trim() || firstText(xml, "Text")?.trim() || "the host returned a WS-Man fault";
  return { code: wsmanFault?.attrs.Code, subcode: values[1] ?? values[0], message: message.replace(/\s+/g, " ") };
}

/** "No output yet": the Receive waited OperationTimeout without output; ask again. */
export function isTimedOutFault(f: WsmanFault): boolean {
  return f.code === FAULT_TIMED_OUT || /(^|:)TimedOut$/.test(f.subcode ?? "");
}

export function readRelatesTo(xml: string): string | undefined {
  return firstText(xml, "RelatesTo")?.trim();
}

export function readShellId(xml: string): string | undefined {
  const selector = elements(xml, "Selector")
    .find((s) => s.attrs.Name === "ShellId")
    ?.text.trim();
  return selector || firstText(xml, "ShellId")?.trim();
}

export function readCommandId(xml: string): string | undefined {
  return firstText(xml, "CommandId")?.trim();
}

export type ReceiveChunk = { stdout: Buffer; stderr: Buffer; done: boolean; exitCode: number | null };

export function readReceive(xml: string, commandId: string): ReceiveChunk {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  for (const s of elements(xml, "Stream")) {
    if (s.attrs.CommandId && s.attrs.CommandId.toUpperCase() !== commandId.toUpperCase()) continue;
    const data = Buffer.from(s.text.trim(), "base64");
    if (s.attrs.Name === "stdout") stdout.push(data);
    else if (s.attrs.Name === "stderr") stderr.push(data);
  }
  const state = elements(xml, "CommandState")[0];
  const done = state?.attrs.State === COMMAND_STATE_DONE;
  const exit = done ? firstText(xml, "ExitCode") : undefined;
  return {
    stdout: Buffer.concat(stdout),
    stderr: Buffer.concat(stderr),
    done,
    exitCode: exit !== undefined && /^-?\d+$/.test(exit.trim()) ? Number(exit.trim()) : null,
  };
}
